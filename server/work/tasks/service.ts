import { and, eq, sql } from "drizzle-orm";
import { type Task, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { preparedQuery, rawStatement } from "../../db-prepared.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import { sequentialId } from "../../tools/sequential-id.ts";
import { assertCanAssign, type TaskContext } from "./access.ts";
import { recordChanges } from "./changes.ts";
import { publishTaskEvent } from "./events.ts";
import { inSharedCommit } from "./group-commit.ts";
import { requireAssignee, requireOpenProject } from "./references.ts";
import { type TaskRow, taskFromRow } from "./rows.ts";
import type { CreateTaskInput } from "./schemas.ts";

export type TaskJson = {
  id: string;
  title: string;
  description: string;
  status: Task["status"];
  priority: Task["priority"];
  projectId: string | null;
  assigneeId: string | null;
  reporterId: string | null;
  dueAt: string | null;
  estimateMinutes: number | null;
  labels: string[];
  position: number;
  completedAt: string | null;
  lastActivityAt: string;
  createdAt: string;
  updatedAt: string;
};

/** A task as the API shows it: camelCase, times as ISO 8601 UTC. */
export function taskJson(task: Task): TaskJson {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    projectId: task.projectId,
    assigneeId: task.assigneeId,
    reporterId: task.reporterId,
    dueAt: task.dueAt?.toISOString() ?? null,
    estimateMinutes: task.estimateMinutes,
    labels: task.labels,
    position: task.position,
    completedAt: task.completedAt?.toISOString() ?? null,
    lastActivityAt: task.lastActivityAt.toISOString(),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

export function taskEtag(task: Task): string {
  return etagOf(taskJson(task));
}

/** A task of the caller's organisation, or null (also for another organisation's task). */
export function findTaskById(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): Task | null {
  return findTaskIn(ctx.db, ctx.orgId, id);
}

export function findTaskIn(db: Queryable, orgId: string, id: string): Task | null {
  const [row] = rawStatement<TaskRow>(db, "tasks.find", () =>
    db
      .select()
      .from(tasks)
      .where(and(eq(tasks.orgId, sql.placeholder("orgId")), eq(tasks.id, sql.placeholder("id")))),
  ).all({ orgId, id });
  return row ? taskFromRow(row) : null;
}

/** The task, or 404 "No such task." for unknown ids and other organisations' tasks. */
export function taskOrNotFound(ctx: { db: Queryable; orgId: string }, id: string): Task {
  const task = findTaskIn(ctx.db, ctx.orgId, id);
  if (!task) throw notFound("task");
  return task;
}

/** A bare placeholder: the caller passes driver values (ms for times, JSON text for labels), null included. */
const ph = (name: string) => sql`${sql.placeholder(name)}`;

/** The task insert, prepared once (creation is benchmarked); the search triggers index the title. */
function insertTask(db: Queryable, task: Task): void {
  preparedQuery(db, "tasks.insert", () =>
    db
      .insert(tasks)
      .values({
        id: ph("id"),
        orgId: ph("orgId"),
        projectId: ph("projectId"),
        title: ph("title"),
        description: ph("description"),
        status: ph("status"),
        priority: ph("priority"),
        assigneeId: ph("assigneeId"),
        reporterId: ph("reporterId"),
        dueAt: ph("dueAt"),
        estimateMinutes: ph("estimateMinutes"),
        labels: ph("labels"),
        position: ph("position"),
        completedAt: ph("completedAt"),
        lastActivityAt: ph("lastActivityAt"),
        createdAt: ph("createdAt"),
        updatedAt: ph("updatedAt"),
      })
      .prepare(),
  ).run({
    ...task,
    dueAt: task.dueAt?.getTime() ?? null,
    labels: JSON.stringify(task.labels),
    completedAt: task.completedAt?.getTime() ?? null,
    lastActivityAt: task.lastActivityAt.getTime(),
    createdAt: task.createdAt.getTime(),
    updatedAt: task.updatedAt.getTime(),
  });
}

/**
 * Creates a task reported by the caller, in one transaction: the row, its "created" history row
 * and the task.created event. Reads only the referenced project and assignee. New tasks go on top
 * of their board column.
 */
export function createTask(ctx: TaskContext, input: CreateTaskInput): Task {
  assertCanAssign(ctx, input.assigneeId ?? null);
  return ctx.db.transaction((tx) => createTaskIn(tx, ctx, input));
}

/**
 * createTask for a request that can wait for its answer: the creation shares its commit with
 * the others of the same moment (group-commit.ts), still all of it or nothing of it.
 */
export function createTaskInSharedCommit(ctx: TaskContext, input: CreateTaskInput): Promise<Task> {
  assertCanAssign(ctx, input.assigneeId ?? null);
  return inSharedCommit(ctx.db, (tx) => createTaskIn(tx, ctx, input));
}

function createTaskIn(tx: Queryable, ctx: TaskContext, input: CreateTaskInput): Task {
  const assigneeId = input.assigneeId ?? null;
  const now = new Date();
  const task: Task = {
    id: sequentialId("tsk", now.getTime()),
    orgId: ctx.orgId,
    projectId: input.projectId ?? null,
    title: input.title,
    description: input.description,
    status: input.status,
    priority: input.priority,
    assigneeId,
    reporterId: ctx.userId,
    dueAt: input.dueAt ?? null,
    estimateMinutes: input.estimateMinutes ?? null,
    labels: input.labels,
    position: -now.getTime(),
    completedAt: input.status === "done" ? now : null,
    lastActivityAt: now,
    stuckAt: null,
    createdAt: now,
    updatedAt: now,
  };
  if (task.projectId) requireOpenProject(tx, ctx.orgId, task.projectId);
  // The caller is an active member already (authenticate() said so): only someone else is looked up.
  if (assigneeId && assigneeId !== ctx.userId) requireAssignee(tx, ctx.orgId, assigneeId);
  insertTask(tx, task);
  const created = { title: task.title, status: task.status, assigneeId, projectId: task.projectId };
  recordChanges(tx, ctx, task.id, [{ field: "created", from: null, to: created }], now);
  publishTaskEvent(tx, ctx, "task.created", task, (actor) => `${actor} created “${task.title}”`, created, now);
  return task;
}

/** Deletes a task with its comments and history (tasks.manage is checked by the route). */
export function deleteTask(ctx: TaskContext, id: string): void {
  ctx.db.transaction((tx) => {
    const task = taskOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    tx.delete(tasks)
      .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.id, task.id)))
      .run();
    publishTaskEvent(tx, ctx, "task.deleted", task, (actor) => `${actor} deleted “${task.title}”`, {}, new Date());
  });
}
