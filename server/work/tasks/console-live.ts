import type { Context } from "hono";
import { consoleEventStream } from "../../events/console-stream.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { latestEventSeq } from "../../events/read.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { boardProjectOf } from "./console-board.tsx";
import { listHrefOf } from "./console-props.ts";
import { boardChangeTypes, boardMessage, taskChangeTypes } from "./live-board.tsx";
import { myWorkMessage, taskListMessage } from "./live-list.tsx";
import { taskPageEventTypes, taskPageMessage } from "./live-task.tsx";
import { taskOrNotFound } from "./service.ts";

/*
 * The live streams of the task pages (console sessions only; integrators use /api/v1/events).
 * Each reads only task events of the caller's organisation that the caller may see, and turns
 * them into <hx-partial>s for its page.
 */

/** GET /tasks/board/stream(?projectId=): fresh copies of the columns that changed. */
export function boardStream(c: Context<AppEnv>): Response {
  const projectId = boardProjectOf(c);
  return consoleEventStream(c, "The board's stream", (ctx) => ({
    types: boardChangeTypes,
    format: (events) => boardMessage(ctx, events, projectId),
  }));
}

/** GET /tasks/stream?…filters…&after=: how many tasks changed since the list was drawn. */
export function taskListStream(c: Context<AppEnv>): Response {
  const refreshHref = listHrefOf(c.req.query());
  return consoleEventStream(c, "The task list's stream", (ctx) => {
    // `after` stays the page's own mark on reconnects (the resume point is Last-Event-ID).
    const since = eventIdsOf(ctx.keyring, ctx.orgId).seqOf(c.req.query("after")) ?? latestEventSeq(ctx.db, ctx.orgId);
    return { types: taskChangeTypes, format: (events) => taskListMessage(ctx, events, since, refreshHref) };
  });
}

/** GET /tasks/mine/stream?after=: My work's groups again whenever my tasks change. */
export function myWorkStream(c: Context<AppEnv>): Response {
  const myName = c.var.auth?.user.name ?? "Me";
  return consoleEventStream(c, "My work's stream", (ctx) => ({
    types: taskChangeTypes,
    format: (events) => myWorkMessage(ctx, myName, events),
  }));
}

/** GET /tasks/:id/stream: the changed parts of that task's page; 404 for a task of another organisation. */
export function taskPageStream(c: Context<AppEnv>): Response {
  const csrf = formCsrf(c);
  return consoleEventStream(c, "The task's stream", (ctx) => {
    const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
    return { types: taskPageEventTypes, format: (events) => taskPageMessage(ctx, csrf, task.id, events) };
  });
}
