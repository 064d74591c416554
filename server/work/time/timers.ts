import { and, eq, sql } from "drizzle-orm";
import type { TimeEntry, Timer } from "../../../models/time.ts";
import { timers } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction, Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { publishEvent } from "../../events/publish.ts";
import { AppError } from "../../http/errors.ts";
import { namesOf } from "../../members/directory.ts";
import { splitByDay } from "../../tools/days.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { newId } from "../../tools/ids.ts";
import { insertTimeEntry } from "./entries.ts";
import { resolveWork, workLabel } from "./entry-rules.ts";
import type { StartTimerInput } from "./schemas.ts";

export type TimerJson = {
  id: string;
  userId: string;
  taskId: string | null;
  projectId: string | null;
  note: string;
  billable: boolean;
  startedAt: string;
  /** Whole minutes so far, rounded up as the entry will be. */
  elapsedMinutes: number;
};

export function timerJson(timer: Timer, now = new Date()): TimerJson {
  return {
    id: timer.id,
    userId: timer.userId,
    taskId: timer.taskId,
    projectId: timer.projectId,
    note: timer.note,
    billable: timer.billable,
    startedAt: timer.startedAt.toISOString(),
    elapsedMinutes: Math.max(1, Math.ceil((now.getTime() - timer.startedAt.getTime()) / 60_000)),
  };
}

/** A person's running timer, or null. */
export function runningTimerOf(db: Queryable, orgId: string, userId: string): Timer | null {
  // Prepared once per connection: the week page reads it on every load.
  return (
    preparedQuery(db, "time.runningTimer", () =>
      db
        .select()
        .from(timers)
        .where(and(eq(timers.orgId, sql.placeholder("orgId")), eq(timers.userId, sql.placeholder("userId"))))
        .prepare(),
    ).get({ orgId, userId }) ?? null
  );
}

/** The caller's running timer, or null. */
export function findRunningTimer(ctx: ServiceContext): Timer | null {
  return runningTimerOf(ctx.db, ctx.orgId, ctx.userId);
}

function nameOf(tx: DbTransaction, orgId: string, userId: string): string {
  return namesOf(tx, orgId, [userId]).get(userId) ?? "Someone";
}

/**
 * Turns a running timer into entries, one per UTC day it ran through (minutes rounded up, at
 * least 1), under the same rules as any entry, and removes the timer.
 */
function stopInto(tx: DbTransaction, ctx: ServiceContext, timer: Timer, now: Date): TimeEntry[] {
  // The timer's task or project as it was started: a task deleted since leaves its project.
  const work = { taskId: timer.taskId, projectId: timer.projectId };
  const entries = splitByDay(timer.startedAt, now).map((piece) =>
    insertTimeEntry(
      tx,
      ctx,
      { userId: timer.userId, note: timer.note, billable: timer.billable, ...work, ...piece },
      now,
    ),
  );
  tx.delete(timers).where(eq(timers.id, timer.id)).run();
  const minutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
  publishEvent(tx, ctx, {
    type: "timer.stopped",
    subjectType: "timer",
    subjectId: timer.id,
    summary: `${nameOf(tx, timer.orgId, timer.userId)} stopped a timer: ${formatMinutes(minutes)} on ${workLabel(tx, work)}`,
    data: { ...work, minutes, entryIds: entries.map((entry) => entry.id), discarded: false },
    audience: [timer.userId],
  });
  return entries;
}

/**
 * Starts the caller's timer on a task or project. One runs per person: a running one is
 * stopped first and its time saved (in the same transaction, so a refused save starts nothing).
 */
export function startTimer(
  ctx: ServiceContext,
  input: StartTimerInput,
  now = new Date(),
): { timer: Timer; stoppedEntries: TimeEntry[] } {
  return ctx.db.transaction((tx) => {
    const work = resolveWork(tx, ctx.orgId, { taskId: input.taskId ?? null, projectId: input.projectId ?? null });
    const running = runningTimerOf(tx, ctx.orgId, ctx.userId);
    const stoppedEntries = running ? stopInto(tx, ctx, running, now) : [];
    const timer = tx
      .insert(timers)
      .values({
        id: newId("tim"),
        orgId: ctx.orgId,
        userId: ctx.userId,
        note: input.note,
        billable: input.billable,
        startedAt: now,
        ...work,
      })
      .returning()
      .get();
    publishEvent(tx, ctx, {
      type: "timer.started",
      subjectType: "timer",
      subjectId: timer.id,
      summary: `${nameOf(tx, ctx.orgId, ctx.userId)} started a timer on ${workLabel(tx, work)}`,
      data: { ...work, startedAt: now.toISOString() },
      audience: [ctx.userId],
    });
    return { timer, stoppedEntries };
  });
}

/** Stops the caller's timer and saves its time (one entry per day it ran through). 404 when none runs. */
export function stopTimer(ctx: ServiceContext, now = new Date()): TimeEntry[] {
  return ctx.db.transaction((tx) => {
    const timer = runningTimerOf(tx, ctx.orgId, ctx.userId);
    if (!timer) throw new AppError("not_found", "No timer is running.");
    return stopInto(tx, ctx, timer, now);
  });
}

/** Throws the caller's running timer away without saving any time. 404 when none runs. */
export function discardTimer(ctx: ServiceContext): void {
  ctx.db.transaction((tx) => {
    const timer = runningTimerOf(tx, ctx.orgId, ctx.userId);
    if (!timer) throw new AppError("not_found", "No timer is running.");
    tx.delete(timers).where(eq(timers.id, timer.id)).run();
    publishEvent(tx, ctx, {
      type: "timer.stopped",
      subjectType: "timer",
      subjectId: timer.id,
      summary: `${nameOf(tx, timer.orgId, timer.userId)} discarded a timer on ${workLabel(tx, timer)}`,
      data: { taskId: timer.taskId, projectId: timer.projectId, minutes: 0, entryIds: [], discarded: true },
      audience: [timer.userId],
    });
  });
}
