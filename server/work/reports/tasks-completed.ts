import { and, eq, gte, lt, sql } from "drizzle-orm";
import { taskCompletionDays } from "../../../models/summaries.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { addDays, isoWeekLabel, startOfDay, todayUtc, weekStartOf } from "../../tools/days.ts";

/** One ISO week (Monday to Sunday, UTC): `2026-W07`, its Monday, and the tasks done in it. */
export type TasksCompletedRow = { week: string; weekStart: string; count: number };

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Tasks completed per ISO week, for the `weeks` weeks up to and including the current one,
 * oldest first, weeks without any as 0. A task counts in the week of its completedAt while it is
 * still done (a reopened task no longer counts). Read from the done tasks per day
 * (models/summaries.ts): at most 7 × `weeks` rows, however many tasks there are.
 */
export function tasksCompletedPerWeek(ctx: ServiceContext, weeks: number, today = todayUtc()): TasksCompletedRow[] {
  const firstWeek = addDays(weekStartOf(today), -7 * (weeks - 1));
  const start = startOfDay(firstWeek).getTime();
  const end = start + weeks * WEEK_MS;
  // Weeks start at midnight UTC, so a whole day falls in one week.
  const bucket = sql<number>`cast((${taskCompletionDays.day} * ${DAY_MS} - ${start}) / ${WEEK_MS} as integer)`.mapWith(
    Number,
  );
  const counts = readUntilWrite(ctx.db, `reports.tasksCompleted:${ctx.orgId}:${start}:${weeks}`, () =>
    ctx.db
      .select({ bucket, count: sql<number>`sum(${taskCompletionDays.tasks})`.mapWith(Number) })
      .from(taskCompletionDays)
      .where(
        and(
          eq(taskCompletionDays.orgId, ctx.orgId),
          gte(taskCompletionDays.day, start / DAY_MS),
          lt(taskCompletionDays.day, end / DAY_MS),
        ),
      )
      .groupBy(bucket)
      .all(),
  );
  const byWeek = new Map(counts.map((row) => [row.bucket, row.count]));
  return Array.from({ length: weeks }, (_, index) => {
    const weekStart = addDays(firstWeek, 7 * index);
    return { week: isoWeekLabel(weekStart), weekStart, count: byWeek.get(index) ?? 0 };
  });
}
