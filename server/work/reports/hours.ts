import { type SQL, sql } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { timeDayTotals, timeMonthTotals } from "../../../models/summaries.ts";
import { projects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { AppError } from "../../http/errors.ts";
import { orgShownName } from "../../members/directory.ts";
import { timeScopeOf } from "../time/scope.ts";
import { rowsInRange } from "./periods.ts";
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

// Sums of the running totals (models/summaries.ts), not of the entries: constant in their number.
const timeTotals = { month: timeMonthTotals, day: timeDayTotals };
const sums = sql`sum(t.minutes) as minutes, sum(t.billable_minutes) as billableMinutes`;

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

type ProjectTotal = {
  projectKey: string;
  code: string | null;
  name: string | null;
  minutes: number;
  billableMinutes: number;
};

function readHoursByProject(ctx: ServiceContext, range: DayRange): HoursByProjectRow[] {
  const rows = rowsInRange(ctx.orgId, range, timeTotals, sql`project_key, entries, minutes, billable_minutes`);
  return ctx.db
    .all<ProjectTotal>(
      sql`select t.project_key as projectKey, ${projects.code} as code, ${projects.name} as name, ${sums}
          from (${rows}) t left join ${projects} on ${projects.id} = t.project_key
          group by t.project_key having sum(t.entries) > 0
          order by sum(t.minutes) desc, ${projects.name} asc, t.project_key`,
    )
    .map((row) => {
      const projectId = row.projectKey === "" ? null : row.projectKey;
      return {
        projectId,
        projectCode: projectId ? row.code : null,
        projectName: projectId ? (row.name ?? "Deleted project") : "No project",
        ...minutesOf(row),
      };
    });
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

type PersonTotal = { userId: string; name: string; minutes: number; billableMinutes: number };

function readHoursByPerson(ctx: ServiceContext, range: DayRange): HoursByPersonRow[] {
  const scope = timeScopeOf(ctx);
  let where: SQL | undefined;
  if (scope.kind !== "all") {
    if (scope.ids.size === 0) return [];
    where = sql`user_id in (${sql.join(
      [...scope.ids].map((id) => sql`${id}`),
      sql`, `,
    )})`;
  }
  const rows = rowsInRange(ctx.orgId, range, timeTotals, sql`user_id, entries, minutes, billable_minutes`, where);
  return ctx.db
    .all<PersonTotal>(
      sql`select t.user_id as userId, ${orgShownName} as name, ${sums}
          from (${rows}) t
          join ${users} on ${users.id} = t.user_id
          left join ${memberships} on ${memberships.orgId} = ${ctx.orgId} and ${memberships.userId} = t.user_id
          group by t.user_id having sum(t.entries) > 0
          order by sum(t.minutes) desc, ${orgShownName} asc`,
    )
    .map((row) => ({ userId: row.userId, name: row.name, ...minutesOf(row) }));
}

function minutesOf(row: { minutes: number; billableMinutes: number }) {
  const minutes = Number(row.minutes);
  return { minutes, billableMinutes: Number(row.billableMinutes), hours: hoursOf(minutes) };
}
