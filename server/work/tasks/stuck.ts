import { and, asc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { agentLabel } from "../../../models/agents.ts";
import { type Task, tasks } from "../../../models/work.ts";
import { recordAudit } from "../../audit/service.ts";
import { type ActorContext, actorOf } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { AppError } from "../../http/errors.ts";
import { recordChanges } from "./changes.ts";

/** A task flagged by the stuck-task agent stays flagged until something happens on it. */
export function isStuck(task: Pick<Task, "stuckAt" | "lastActivityAt">): boolean {
  return task.stuckAt !== null && task.stuckAt.getTime() > task.lastActivityAt.getTime();
}

export type QuietTask = Pick<
  Task,
  "id" | "title" | "projectId" | "assigneeId" | "reporterId" | "lastActivityAt" | "stuckAt"
>;

/** Open tasks with no activity since `before`, quietest first (a range of tasks_org_activity_idx). */
export function listQuietTasks(db: Queryable, orgId: string, before: Date): QuietTask[] {
  return db
    .select({
      id: tasks.id,
      title: tasks.title,
      projectId: tasks.projectId,
      assigneeId: tasks.assigneeId,
      reporterId: tasks.reporterId,
      lastActivityAt: tasks.lastActivityAt,
      stuckAt: tasks.stuckAt,
    })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), lt(tasks.lastActivityAt, before), ne(tasks.status, "done")))
    .orderBy(asc(tasks.lastActivityAt))
    .all();
}

/** One task to flag or to tell about again: who to tell now, and why, in words. */
export type StuckNotice = { task: QuietTask; reason: string; tell: string[] };

/**
 * Flags quiet tasks as stuck and tells people about them, in the caller's transaction `db`: a task
 * not flagged yet gets its flag and a history row; every notice becomes a `task.stuck` event (the
 * Pulse, the feed and the notifications of the people in `tell`). Needs `tasks.write`; the
 * changes are recorded as the acting agent. Returns how many tasks it newly flagged.
 */
export function flagStuckTasks(db: Queryable, ctx: ActorContext, notices: StuckNotice[], now: Date): number {
  if (!ctx.permissions.has("tasks.write")) throw new AppError("forbidden", "Flagging tasks needs tasks.write.");
  const fresh = notices.filter((notice) => !isStuck(notice.task));
  for (let start = 0; start < fresh.length; start += 500) {
    const ids = fresh.slice(start, start + 500).map((notice) => notice.task.id);
    db.update(tasks)
      .set({ stuckAt: now })
      .where(and(eq(tasks.orgId, ctx.orgId), inArray(tasks.id, ids)))
      .run();
  }
  for (const notice of fresh) {
    recordChanges(db, ctx, notice.task.id, [{ field: "stuck", from: null, to: notice.reason }], now);
  }
  const by = ctx.agentId ? agentLabel(ctx.agentId) : "Someone";
  for (const notice of notices) {
    if (isStuck(notice.task) && notice.tell.length === 0) continue;
    publishEvent(
      db,
      { orgId: ctx.orgId, userId: ctx.userId },
      {
        type: "task.stuck",
        subjectType: "task",
        subjectId: notice.task.id,
        summary: `${by} flagged “${notice.task.title}”: ${notice.reason}`,
        data: { title: notice.task.title, reason: notice.reason, tell: notice.tell, agentId: ctx.agentId ?? null },
        audience: notice.tell,
      },
      now,
    );
  }
  for (const notice of fresh) {
    recordAudit(
      db,
      {
        orgId: ctx.orgId,
        action: "task.flagged_stuck",
        ...actorOf(ctx),
        targetType: "task",
        targetId: notice.task.id,
        details: { reason: notice.reason },
        meta: ctx.meta,
      },
      now,
    );
  }
  return fresh.length;
}

/** How many of the organisation's open tasks are flagged now (the Pulse's count). */
export function countStuckTasks(db: Queryable, orgId: string): number {
  return (
    db
      .select({ count: sql<number>`count(*)` })
      .from(tasks)
      .where(and(eq(tasks.orgId, orgId), ne(tasks.status, "done"), sql`${tasks.stuckAt} > ${tasks.lastActivityAt}`))
      .get()?.count ?? 0
  );
}
