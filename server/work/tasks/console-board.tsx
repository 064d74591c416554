/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { type Task, taskStatuses } from "../../../models/work.ts";
import { assets } from "../../../views/assets.ts";
import { BoardPage } from "../../../views/pages/work/tasks/board.tsx";
import { readForm } from "../../auth/console-forms.ts";
import { serviceContext } from "../../auth/guard.ts";
import type { AppEnv } from "../../http/env.ts";
import { validationFailed } from "../../http/errors.ts";
import { renderPage } from "../../http/render.tsx";
import { isId } from "../../ids.ts";
import { canWriteTask, taskContext } from "./access.ts";
import { nameBook, peopleChoices, projectChoices, queryString, rowViews } from "./console-data.ts";
import { boardColumns } from "./list.ts";
import { moveTaskInput } from "./schemas.ts";
import { moveTask } from "./update.ts";

/** Cards shown per column; a move's place counts among these (see boardColumn). */
const CARDS_SHOWN = 50;

/** /tasks/board(?projectId=): a column per status, each in board order. */
export function renderBoard(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const requested = c.req.query("projectId") ?? "";
  const projectId = isId("prj", requested) ? requested : "";
  const now = new Date();
  const byStatus = boardColumns(ctx.db, ctx.orgId, projectId || undefined);
  const columns = taskStatuses.map((status) => ({ status, tasks: byStatus[status] }));
  const people = peopleChoices(ctx.db, ctx.orgId);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const names = nameBook(
    ctx.db,
    people,
    columns.flatMap((column) => column.tasks.map((task) => task.assigneeId)),
  );
  const canMove = (task: Task | undefined) => (task ? canWriteTask(ctx, task) : false);
  return renderPage(
    c,
    { title: "Board", current: "/tasks", scripts: [assets.sortable, assets.board] },
    <BoardPage
      columns={columns.map((column) => {
        const shown = column.tasks.slice(0, CARDS_SHOWN);
        const rows = rowViews(shown, names, projects, now);
        return {
          status: column.status,
          cards: rows.map((row, index) => ({ ...row, canMove: canMove(shown[index]) })),
          moreHref:
            column.tasks.length > CARDS_SHOWN ? `/tasks${queryString({ status: column.status, projectId })}` : null,
        };
      })}
      projects={projects}
      projectId={projectId}
      canCreate={ctx.permissions.has("tasks.write")}
      canMoveAny={ctx.permissions.has("tasks.write")}
    />,
  );
}

/** POST /tasks/:id/move (static/board.js): status and place; 204, or the error's status. */
export async function moveFromBoard(c: Context<AppEnv>) {
  const form = await readForm(c);
  const parsed = moveTaskInput.safeParse({
    status: form.status,
    position: form.position || "0",
    projectId: form.projectId || undefined,
  });
  if (!parsed.success) throw validationFailed(parsed.error);
  moveTask(taskContext(c), c.req.param("id") ?? "", parsed.data);
  return c.body(null, 204);
}
