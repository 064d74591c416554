import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { type TimesheetStatus, timeEntries, timesheets } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { listMembers } from "../../members/directory.ts";
import { addDays } from "../../tools/days.ts";
import { approvesEveryone, timeScopeOf } from "./scope.ts";

export type TeamWeekRow = {
  userId: string;
  name: string;
  minutes: number;
  billableMinutes: number;
  status: TimesheetStatus;
  timesheetId: string | null;
  approvalRequestId: string | null;
  /** Whether the caller may reopen this person's sheet now. */
  canReopen: boolean;
};

/**
 * The week of everyone whose time the caller approves: a Manager or Admin sees every member
 * (themselves included), a Team Lead the people of the teams they lead.
 */
export function teamWeekOf(ctx: ServiceContext, weekStart: string): TeamWeekRow[] {
  const scope = timeScopeOf(ctx);
  const everyone = approvesEveryone(ctx);
  const people = listMembers(ctx.db, ctx.orgId).filter((member) =>
    scope.kind === "all" ? member.role !== "viewer" : scope.ids.has(member.id) && member.id !== ctx.userId,
  );
  if (people.length === 0) return [];
  const ids = people.map((person) => person.id);
  const weekEnd = addDays(weekStart, 6);
  const totals = new Map(
    ctx.db
      .select({
        userId: timeEntries.userId,
        minutes: sql<number>`sum(${timeEntries.minutes})`.mapWith(Number),
        billableMinutes:
          sql<number>`sum(case when ${timeEntries.billable} then ${timeEntries.minutes} else 0 end)`.mapWith(Number),
      })
      .from(timeEntries)
      .where(
        and(
          eq(timeEntries.orgId, ctx.orgId),
          inArray(timeEntries.userId, ids),
          gte(timeEntries.date, weekStart),
          lte(timeEntries.date, weekEnd),
        ),
      )
      .groupBy(timeEntries.userId)
      .all()
      .map((row) => [row.userId, row]),
  );
  const sheets = new Map(
    ctx.db
      .select()
      .from(timesheets)
      .where(and(eq(timesheets.orgId, ctx.orgId), eq(timesheets.weekStart, weekStart), inArray(timesheets.userId, ids)))
      .all()
      .map((sheet) => [sheet.userId, sheet]),
  );
  return people.map((person) => {
    const sheet = sheets.get(person.id);
    const status = sheet?.status ?? "open";
    return {
      userId: person.id,
      name: person.name,
      minutes: totals.get(person.id)?.minutes ?? 0,
      billableMinutes: totals.get(person.id)?.billableMinutes ?? 0,
      status,
      timesheetId: sheet?.id ?? null,
      approvalRequestId: sheet?.approvalRequestId ?? null,
      canReopen: (status === "approved" || status === "rejected") && (person.id !== ctx.userId || everyone),
    };
  });
}
