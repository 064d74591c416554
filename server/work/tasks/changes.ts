import { and, asc, eq, gt, sql } from "drizzle-orm";
import { type Task, type TaskChange, taskChanges } from "../../../models/work.ts";
import type { ActorContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { cursorId, pageOf } from "../../http/cursor.ts";
import { sequentialId } from "../../tools/sequential-id.ts";
import type { UpdateTaskInput } from "./schemas.ts";

/** Fields whose every change is kept in the history. */
export const trackedFields = [
  "title",
  "description",
  "status",
  "priority",
  "projectId",
  "assigneeId",
  "dueAt",
  "estimateMinutes",
  "labels",
] as const;
export type TrackedField = (typeof trackedFields)[number];

export type FieldValue = string | number | string[] | null;
export type FieldChange = { field: TrackedField; from: FieldValue; to: FieldValue };

/** A field's value as the API shows it (times as ISO strings). */
export function fieldValue(value: Task[TrackedField] | undefined): FieldValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}

/** The fields an update really changes, in a stable order; an unchanged value is no change. */
export function diffTask(task: Task, input: UpdateTaskInput): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of trackedFields) {
    if (input[field] === undefined) continue;
    const from = fieldValue(task[field]);
    const to = fieldValue(input[field]);
    if (!sameValue(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

/** Writes one history row per changed field (and the "created" row), all at the same instant. */
export function recordChanges(
  db: Queryable,
  ctx: Pick<ActorContext, "orgId" | "userId" | "agentId">,
  taskId: string,
  changes: { field: string; from: unknown; to: unknown }[],
  now: Date,
): void {
  const insert = preparedQuery(db, "tasks.change", () =>
    db
      .insert(taskChanges)
      .values({
        id: sql.placeholder("id"),
        orgId: sql.placeholder("orgId"),
        taskId: sql.placeholder("taskId"),
        actorId: sql.placeholder("actorId"),
        actorAgentId: sql.placeholder("actorAgentId"),
        field: sql.placeholder("field"),
        fromValue: sql`${sql.placeholder("fromValue")}`,
        toValue: sql`${sql.placeholder("toValue")}`,
        createdAt: sql`${sql.placeholder("createdAt")}`,
      })
      .prepare(),
  );
  for (const change of changes) {
    insert.run({
      id: sequentialId("chg", now.getTime()),
      orgId: ctx.orgId,
      taskId,
      actorId: ctx.userId,
      actorAgentId: ctx.agentId ?? null,
      field: change.field,
      fromValue: change.from === null ? null : JSON.stringify(change.from),
      toValue: change.to === null ? null : JSON.stringify(change.to),
      createdAt: now.getTime(),
    });
  }
}

/** A task's history, oldest first, keyset-paged by change id. */
export function listTaskChanges(
  db: Queryable,
  taskId: string,
  page: { limit: number; cursor?: string | undefined },
): { data: TaskChange[]; nextCursor: string | null } {
  const after = cursorId(page.cursor);
  const rows = db
    .select()
    .from(taskChanges)
    .where(and(eq(taskChanges.taskId, taskId), after ? gt(taskChanges.id, after) : undefined))
    .orderBy(asc(taskChanges.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit, (row) => [row.id]);
}

function parseValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type ChangeJson = {
  id: string;
  actorId: string | null;
  actorAgentId: string | null;
  field: string;
  from: unknown;
  to: unknown;
  at: string;
};

export function changeJson(change: TaskChange): ChangeJson {
  return {
    id: change.id,
    actorId: change.actorId,
    actorAgentId: change.actorAgentId,
    field: change.field,
    from: parseValue(change.fromValue),
    to: parseValue(change.toValue),
    at: change.createdAt.toISOString(),
  };
}
