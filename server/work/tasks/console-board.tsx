/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { assets } from "../../../views/assets.ts";
import { BoardPage } from "../../../views/pages/work/tasks/board.tsx";
import { renderPage } from "../../console/render.tsx";
import { latestEventId } from "../../events/ids.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import type { FormContext, FormSpec, PostedForm } from "../../http/validate-form.ts";
import { isId } from "../../tools/ids.ts";
import { queryString } from "../../tools/query-string.ts";
import { taskContext } from "./access.ts";
import { projectChoices } from "./console-data.ts";
import { boardColumnViews } from "./console-props.ts";
import type { moveTaskInput } from "./schemas.ts";
import { moveTask } from "./update.ts";

/** The board's project filter: a project id, or "" for every project. */
export function boardProjectOf(c: Context<AppEnv>): string {
  const requested = c.req.query("projectId") ?? "";
  return isId("prj", requested) ? requested : "";
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
