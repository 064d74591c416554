/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { type Task, type TaskStatus, taskStatuses } from "../../../models/work.ts";
import { assets } from "../../../views/assets.ts";
import { type BoardColumnView, BoardPage } from "../../../views/pages/work/tasks/board.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { renderPage } from "../../console/render.tsx";
import { latestEventId } from "../../events/ids.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import type { FormContext, FormSpec, PostedForm } from "../../http/validate-form.ts";
import { isId } from "../../tools/ids.ts";
import { queryString } from "../../tools/query-string.ts";
import { canWriteTask, taskContext } from "./access.ts";
import { nameBook, peopleChoices, projectChoices, rowViews } from "./console-data.ts";
import { boardColumn, boardColumns } from "./list.ts";
import type { moveTaskInput } from "./schemas.ts";
import { moveTask } from "./update.ts";

/** Cards shown per column; a move's place counts among these (see boardColumn). */
const CARDS_SHOWN = 50;

/** The board's project filter: a project id, or "" for every project. */
export function boardProjectOf(c: Context<AppEnv>): string {
  const requested = c.req.query("projectId") ?? "";
  return isId("prj", requested) ? requested : "";
}

/**
 * Columns as the board shows them, for the page and for its live stream (which asks for the
 * columns an event changed): without a project filter each column is one indexed read.
 */
export function boardColumnViews(
  ctx: ServiceContext,
  projectId: string,
  statuses: readonly TaskStatus[] = taskStatuses,
  now = new Date(),
): BoardColumnView[] {
  const byStatus: Partial<Record<TaskStatus, Task[]>> =
    projectId || statuses.length === taskStatuses.length
      ? boardColumns(ctx.db, ctx.orgId, projectId || undefined)
      : Object.fromEntries(statuses.map((status) => [status, boardColumn(ctx.db, ctx.orgId, status)]));
  const columns = statuses.map((status) => ({ status, tasks: (byStatus[status] ?? []).slice(0, CARDS_SHOWN) }));
  const people = peopleChoices(ctx.db, ctx.orgId);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const names = nameBook(
    ctx.db,
    ctx.orgId,
    people,
    columns.flatMap((column) => column.tasks.map((task) => task.assigneeId)),
  );
  return columns.map((column) => ({
    status: column.status,
    cards: rowViews(column.tasks, names, projects, now).map((row, index) => {
      const task = column.tasks[index];
      return { ...row, canMove: task ? canWriteTask(ctx, task) : false };
    }),
    moreHref:
      (byStatus[column.status]?.length ?? 0) > CARDS_SHOWN
        ? `/tasks${queryString({ status: column.status, projectId })}`
        : null,
  }));
}

/** /tasks/board(?projectId=): a column per status, each in board order. */
export function renderBoard(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const projectId = boardProjectOf(c);
  const latest = latestEventId(ctx);
  const live = c.var.auth?.via === "session";
  return renderPage(
    c,
    { title: "Board", current: "/tasks", scripts: [assets.sortable, assets.board] },
    <BoardPage
      columns={boardColumnViews(ctx, projectId)}
      projects={projectChoices(ctx.db, ctx.orgId)}
      projectId={projectId}
      canCreate={ctx.permissions.has("tasks.write")}
      canMoveAny={ctx.permissions.has("tasks.write")}
      // Resumes after the newest event this board was drawn with: nothing in between is lost.
      streamUrl={live ? `/tasks/board/stream${queryString({ projectId, after: latest })}` : null}
    />,
  );
}

/** The board's drag and drop (static/board.js) posts status and place; refused, the standard 422. */
export const moveForm: FormSpec<PostedForm> = {
  values: (form) => form,
  input: (form) => ({
    status: form.has("status") ? form.text("status") : undefined,
    position: form.text("position") || "0",
    projectId: form.text("projectId") || undefined,
  }),
};

/** POST /tasks/:id/move: status and place; 204, or the error's status. */
export function moveFromBoard(c: FormContext<typeof moveTaskInput, PostedForm>) {
  moveTask(taskContext(c), c.req.param("id") ?? "", c.req.valid("form").input);
  return c.body(null, 204);
}
