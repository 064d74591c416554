import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { AppError } from "../../http/errors.ts";
import { orgShownName } from "../people.ts";
import { timeScopeOf } from "../time/scope.ts";
import type { DayRange } from "./range.ts";

export type HoursByProjectRow = {
  projectId: string | null;
  projectCode: string | null;
  projectName: string;
  minutes: number;
  billableMinutes: number;
  hours: number;
};

export type HoursByPersonRow = {
  userId: string;
  name: string;
  minutes: number;
  billableMinutes: number;
  hours: number;
};

const minutes = sql<number>`coalesce(sum(${timeEntries.minutes}), 0)`.mapWith(Number);
const billableMinutes =
  sql<number>`coalesce(sum(case when ${timeEntries.billable} then ${timeEntries.minutes} else 0 end), 0)`.mapWith(
    Number,
  );

/** Hours to two decimals, from whole minutes: 90 → 1.5, 20 → 0.33. */
export function hoursOf(totalMinutes: number): number {
  return Math.round((totalMinutes * 100) / 60) / 100;
}

/** Everyone's logged time per project over the range (entries without a project under null), most first. */
export function hoursByProject(ctx: ServiceContext, range: DayRange): HoursByProjectRow[] {
  return readUntilWrite(ctx.db, `reports.hoursByProject:${ctx.orgId}:${range.from}:${range.to}`, () =>
    readHoursByProject(ctx, range),
  );
}

function readHoursByProject(ctx: ServiceContext, range: DayRange): HoursByProjectRow[] {
  return ctx.db
    .select({
      projectId: timeEntries.projectId,
      projectCode: projects.code,
      name: projects.name,
      minutes,
      billableMinutes,
    })
    .from(timeEntries)
    .leftJoin(projects, eq(projects.id, timeEntries.projectId))
    .where(and(eq(timeEntries.orgId, ctx.orgId), gte(timeEntries.date, range.from), lte(timeEntries.date, range.to)))
    .groupBy(timeEntries.projectId)
    .orderBy(desc(minutes), asc(projects.name))
    .all()
    .map((row) => ({
      projectId: row.projectId,
      projectCode: row.projectId ? row.projectCode : null,
      projectName: row.projectId ? (row.name ?? "Deleted project") : "No project",
      minutes: row.minutes,
      billableMinutes: row.billableMinutes,
      hours: hoursOf(row.minutes),
    }));
}

/**
 * Logged time per person over the range, most first. Needs timesheets.approve; a Team Lead sees
 * themself and the people of the teams they lead, a Manager or Admin everyone (as in time/scope.ts).
 */
export function hoursByPerson(ctx: ServiceContext, range: DayRange): HoursByPersonRow[] {
  if (!ctx.permissions.has("timesheets.approve")) {
    throw new AppError("forbidden", "Hours per person need the timesheets.approve permission.");
  }
  // Per person: what a Team Lead may see depends on who they are.
  return readUntilWrite(ctx.db, `reports.hoursByPerson:${ctx.orgId}:${ctx.userId}:${range.from}:${range.to}`, () =>
    readHoursByPerson(ctx, range),
  );
}

function readHoursByPerson(ctx: ServiceContext, range: DayRange): HoursByPersonRow[] {
  const scope = timeScopeOf(ctx);
  return ctx.db
    .select({ userId: timeEntries.userId, name: orgShownName, minutes, billableMinutes })
    .from(timeEntries)
    .innerJoin(users, eq(users.id, timeEntries.userId))
    .leftJoin(memberships, and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, timeEntries.userId)))
    .where(
      and(
        eq(timeEntries.orgId, ctx.orgId),
        gte(timeEntries.date, range.from),
        lte(timeEntries.date, range.to),
        scope.kind === "all" ? undefined : inArray(timeEntries.userId, [...scope.ids]),
      ),
    )
    .groupBy(timeEntries.userId)
    .orderBy(desc(minutes), asc(orgShownName))
    .all()
    .map((row) => ({ ...row, hours: hoursOf(row.minutes) }));
}
