import { and, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { AppError } from "../../http/errors.ts";
import { orgShownName } from "../../members/directory.ts";
import { addDays, daysBetween, todayUtc, weekStartOf } from "../../tools/days.ts";
import { ownerCondition } from "./entry-list.ts";
import type { TimeTotalsQuery } from "./schemas.ts";

export type TotalsRow = { id: string | null; name: string; minutes: number; billableMinutes: number };
export type Totals = {
  groupBy: TimeTotalsQuery["groupBy"];
  from: string;
  to: string;
  data: TotalsRow[];
  total: { minutes: number; billableMinutes: number };
};

const MAX_DAYS = 366;

/** The range asked for, this week when none; 422 when it runs backwards or spans more than a year. */
export function totalsRange(query: { from?: string | undefined; to?: string | undefined }): {
  from: string;
  to: string;
} {
  const from = query.from ?? (query.to ? addDays(query.to, -6) : weekStartOf(todayUtc()));
  const to = query.to ?? addDays(from, 6);
  if (to < from) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "to", message: "The end of the range comes before its start." },
    ]);
  }
  if (daysBetween(from, to) >= MAX_DAYS) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "to", message: `Ask for at most ${MAX_DAYS} days at a time.` },
    ]);
  }
  return { from, to };
}

const minutes = sql<number>`coalesce(sum(${timeEntries.minutes}), 0)`.mapWith(Number);
const billableMinutes =
  sql<number>`coalesce(sum(case when ${timeEntries.billable} then ${timeEntries.minutes} else 0 end), 0)`.mapWith(
    Number,
  );

/**
 * Minutes and billable minutes per project, person or task over a range, for everyone the
 * caller may see (or one person). Grouping by person needs timesheets.approve.
 */
export function timeTotals(ctx: ServiceContext, query: TimeTotalsQuery): Totals {
  if (query.groupBy === "person" && !ctx.permissions.has("timesheets.approve")) {
    throw new AppError("forbidden", "Totals per person need the timesheets.approve permission.");
  }
  const range = totalsRange(query);
  const where = and(
    eq(timeEntries.orgId, ctx.orgId),
    ownerCondition(ctx, query.userId),
    gte(timeEntries.date, range.from),
    lte(timeEntries.date, range.to),
  );
  const data = groupedRows(ctx, query.groupBy, where);
  const total = data.reduce(
    (sum, row) => ({ minutes: sum.minutes + row.minutes, billableMinutes: sum.billableMinutes + row.billableMinutes }),
    { minutes: 0, billableMinutes: 0 },
  );
  return { groupBy: query.groupBy, ...range, data, total };
}

function groupedRows(ctx: ServiceContext, groupBy: TimeTotalsQuery["groupBy"], where: SQL | undefined): TotalsRow[] {
  if (groupBy === "person") {
    return ctx.db
      .select({ id: timeEntries.userId, name: orgShownName, minutes, billableMinutes })
      .from(timeEntries)
      .innerJoin(users, eq(users.id, timeEntries.userId))
      .leftJoin(memberships, and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, timeEntries.userId)))
      .where(where)
      .groupBy(timeEntries.userId)
      .orderBy(desc(minutes), orgShownName)
      .all();
  }
  if (groupBy === "task") {
    return ctx.db
      .select({ id: timeEntries.taskId, title: tasks.title, minutes, billableMinutes })
      .from(timeEntries)
      .leftJoin(tasks, eq(tasks.id, timeEntries.taskId))
      .where(where)
      .groupBy(timeEntries.taskId)
      .orderBy(desc(minutes), tasks.title)
      .all()
      .map(({ title, ...row }) => ({ ...row, name: row.id ? (title ?? "Deleted task") : "No task" }));
  }
  return ctx.db
    .select({ id: timeEntries.projectId, code: projects.code, projectName: projects.name, minutes, billableMinutes })
    .from(timeEntries)
    .leftJoin(projects, eq(projects.id, timeEntries.projectId))
    .where(where)
    .groupBy(timeEntries.projectId)
    .orderBy(desc(minutes), projects.name)
    .all()
    .map(({ code, projectName, ...row }) => ({
      ...row,
      name: row.id && projectName ? `${code} · ${projectName}` : "No project",
    }));
}
