/** @jsxImportSource hono/jsx */
import { and, eq, inArray } from "drizzle-orm";
import type { DomainEvent } from "../../../models/events.ts";
import { type TaskStatus, taskStatuses, tasks } from "../../../models/work.ts";
import { BoardColumn } from "../../../views/pages/work/tasks/board.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { htmlOf, htmlPartial, partialsMessage } from "../../events/console-stream.ts";
import { boardColumnViews } from "./console-props.ts";

/** The events that add, change or remove a row of the list or a card of the board (a comment changes neither). */
export const taskChangeTypes = ["task.created", "task.updated", "task.deleted"];

/** The board also follows reorders inside a column (the list's order, newest first, does not change). */
export const boardChangeTypes = [...taskChangeTypes, "task.reordered"];

function isStatus(value: unknown): value is TaskStatus {
  return typeof value === "string" && (taskStatuses as readonly string[]).includes(value);
}

/** `{ from, to }` of one field of a task.updated event, or null when the field did not change. */
function changeOf(event: DomainEvent, field: string): { from: unknown; to: unknown } | null {
  const changes = event.data.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  return changes?.[field] ?? null;
}

/**
 * Which columns of a board (all projects, or one) a batch of task events changes: the column a
 * task left and the one it entered, the column of a task whose card changed, the column of a
 * new task; every column when a task was deleted (its event does not say where it was). Tasks
 * of other projects leave a project's board alone, unless they came from or went to it.
 */
export function boardStatusesToRefresh(ctx: ServiceContext, events: DomainEvent[], projectId = ""): Set<TaskStatus> {
  const refresh = new Set<TaskStatus>();
  const taskEvents = events.filter((event) => event.subjectType === "task" && boardChangeTypes.includes(event.type));
  if (taskEvents.some((event) => event.type === "task.deleted")) return new Set(taskStatuses);
  const ids = [...new Set(taskEvents.map((event) => event.subjectId))];
  const current = new Map(
    ids.length === 0
      ? []
      : ctx.db
          .select({ id: tasks.id, status: tasks.status, projectId: tasks.projectId })
          .from(tasks)
          .where(and(eq(tasks.orgId, ctx.orgId), inArray(tasks.id, ids)))
          .all()
          .map((task) => [task.id, task]),
  );
  for (const event of taskEvents) {
    const now = current.get(event.subjectId);
    if (projectId) {
      const project = changeOf(event, "projectId");
      const concerned =
        now?.projectId === projectId ||
        event.data.projectId === projectId ||
        project?.from === projectId ||
        project?.to === projectId;
      if (!concerned) continue;
    }
    if (now) refresh.add(now.status);
    const status = changeOf(event, "status");
    for (const value of [event.data.status, status?.from, status?.to]) if (isStatus(value)) refresh.add(value);
  }
  return refresh;
}

/**
 * One SSE message for a board: a fresh copy of each column the events changed, in board order.
 * Each column is swapped whole (static/board.js waits for a drag or a save to finish first, then
 * hands the new lists to SortableJS and puts the focus back on the card it was on).
 */
export function boardMessage(ctx: ServiceContext, events: DomainEvent[], projectId = "", now = new Date()): string {
  const statuses = boardStatusesToRefresh(ctx, events, projectId);
  const changed = taskStatuses.filter((status) => statuses.has(status));
  const columns = changed.length === 0 ? [] : boardColumnViews(ctx, projectId, changed, now);
  // settle:0: otherwise htmx copies each old element's class and style onto its new copy (for CSS
  // transitions), and the style attributes SortableJS leaves on cards are refused by the CSP.
  return partialsMessage(
    ctx,
    events,
    columns.map((column) =>
      htmlPartial(`#board-column-${column.status}`, "outerHTML settle:0", htmlOf(<BoardColumn column={column} />)),
    ),
  );
}
