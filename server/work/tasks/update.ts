import { and, eq } from "drizzle-orm";
import { statusLabels } from "../../../models/task-labels.ts";
import { type Task, tasks } from "../../../models/work.ts";
import type { DbTransaction } from "../../db.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { assertCanAssign, assertCanWriteTask, type TaskContext } from "./access.ts";
import { diffTask, type FieldChange, recordChanges } from "./changes.ts";
import { changesData, publishTaskEvent, updateSummary } from "./events.ts";
import { boardColumn } from "./list.ts";
import { requireAssignee, requireOpenProject } from "./references.ts";
import type { MoveTaskInput, UpdateTaskInput } from "./schemas.ts";
import { taskEtag, taskOrNotFound } from "./service.ts";

/**
 * Changes a task's fields: 404 for another organisation's task, 403 for a member's task that is
 * neither reported by nor assigned to them, 412 on a stale `If-Match`. Each changed field gets a
 * history row, `lastActivityAt` the exact time; done sets `completedAt`, leaving done clears it.
 */
export function updateTask(ctx: TaskContext, id: string, input: UpdateTaskInput, ifMatch?: string): Task {
  return ctx.db.transaction((tx) => {
    const task = taskOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertCanWriteTask(ctx, task);
    if (ifMatch !== undefined) assertIfMatch(ifMatch, taskEtag(task));
    return applyChanges(tx, ctx, task, diffTask(task, input), {});
  });
}

/**
 * Moves a card on the board: to a column (status) and a place in it (0 = top), counted among the
 * cards of `projectId` when the board is filtered. A move within a column only reorders it.
 */
export function moveTask(ctx: TaskContext, id: string, input: MoveTaskInput): Task {
  return ctx.db.transaction((tx) => {
    const task = taskOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertCanWriteTask(ctx, task);
    const position = positionAt(tx, ctx.orgId, task.id, input);
    const changes = diffTask(task, { status: input.status });
    return applyChanges(tx, ctx, task, changes, { position });
  });
}

function applyChanges(
  tx: DbTransaction,
  ctx: TaskContext,
  task: Task,
  changes: FieldChange[],
  extra: { position?: number },
): Task {
  const moved = extra.position !== undefined && extra.position !== task.position;
  if (changes.length === 0 && !moved) return task;
  const now = new Date();
  const next: Task = { ...task, updatedAt: now, position: extra.position ?? task.position };
  let assigneeName: string | null = null;
  for (const change of changes) {
    if (change.field === "assigneeId") {
      assertCanAssign(ctx, change.to as string | null);
      if (change.to !== null) assigneeName = requireAssignee(tx, ctx.orgId, change.to as string).name;
    }
    if (change.field === "projectId" && change.to !== null) requireOpenProject(tx, ctx.orgId, change.to as string);
    Object.assign(next, { [change.field]: valueFor(change) });
  }
  if (changes.length > 0) {
    // A reorder inside a column is no progress: only real changes count as activity.
    next.lastActivityAt = now;
    if (next.status === "done" && task.status !== "done") next.completedAt = now;
    if (next.status !== "done") next.completedAt = null;
  }
  tx.update(tasks)
    .set({
      title: next.title,
      description: next.description,
      status: next.status,
      priority: next.priority,
      projectId: next.projectId,
      assigneeId: next.assigneeId,
      dueAt: next.dueAt,
      estimateMinutes: next.estimateMinutes,
      labels: next.labels,
      position: next.position,
      completedAt: next.completedAt,
      lastActivityAt: next.lastActivityAt,
      updatedAt: now,
    })
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.id, task.id)))
    .run();
  if (changes.length === 0) {
    // No field changed, so no history; the event lets other open boards redraw the column.
    publishTaskEvent(
      tx,
      ctx,
      "task.reordered",
      next,
      (actor) => `${actor} reordered “${next.title}” in ${statusLabels[next.status]}`,
      { status: next.status, projectId: next.projectId, position: next.position },
      now,
    );
    return next;
  }
  recordChanges(tx, ctx, task.id, changes, now);
  const reassignedFrom = changes.some((change) => change.field === "assigneeId") ? task.assigneeId : null;
  publishTaskEvent(
    tx,
    ctx,
    "task.updated",
    next,
    (actor) => updateSummary(actor, next.title, changes, assigneeName),
    { changes: changesData(changes) },
    now,
    [reassignedFrom],
  );
  return next;
}

/** The stored value of a change (times back to Date). */
function valueFor(change: FieldChange): unknown {
  if (change.field === "dueAt") return change.to === null ? null : new Date(change.to as string);
  return change.to;
}

/**
 * A position that puts the card at `input.position` in the target column as the board shows it
 * (boardColumn): between the two cards it lands between. Cards that share a position (rows made
 * without one) leave no room between them; then the column's cards are numbered afresh.
 */
function positionAt(tx: DbTransaction, orgId: string, taskId: string, input: MoveTaskInput): number {
  const column = boardColumn(tx, orgId, input.status, input.projectId, taskId);
  const index = Math.min(input.position, column.length);
  const above = index > 0 ? column[index - 1]?.position : undefined;
  const below = column[index]?.position;
  if (above === undefined && below === undefined) return 0;
  if (above === undefined) return (below as number) - 1;
  if (below === undefined) return above + 1;
  if (above < below) return (above + below) / 2;
  column.forEach((card, place) => {
    const position = place < index ? place : place + 1;
    if (card.position !== position) {
      tx.update(tasks)
        .set({ position })
        .where(and(eq(tasks.orgId, orgId), eq(tasks.id, card.id)))
        .run();
    }
  });
  return index;
}
