import { and, desc, eq, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { ApprovalStepSpec } from "../../../models/approvals.ts";
import { type Timesheet, timeEntries, timesheets } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { findMember, memberIdsWithRole, namesOf } from "../../members/directory.ts";
import { addDays, weekStartOf } from "../../tools/days.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { newId } from "../../tools/ids.ts";
import { currentApproverIds } from "../approvals/routing.ts";
import { startApproval } from "../approvals/start-approval.ts";
import { teamLeadsOf } from "../teams/membership.ts";
import type { SubmitTimesheetInput, TimesheetListQuery } from "./schemas.ts";
import { approvesEveryone, assertSeesTimeOf, inScope, timeScopeOf } from "./scope.ts";
import { findSheetOfWeek, type WeekSummary, weekSummaryOf } from "./week.ts";

export type TimesheetRow = Timesheet & { minutes: number; billableMinutes: number };

// A join, not a correlated subquery: in a one-table select drizzle writes columns without their
// table, so `time_entries.user_id = timesheets.user_id` inside a subquery compared a column with
// itself and every sheet got the whole box's hours of its week.
const sheetEntries = and(
  eq(timeEntries.orgId, timesheets.orgId),
  eq(timeEntries.userId, timesheets.userId),
  gte(timeEntries.date, timesheets.weekStart),
  lte(timeEntries.date, sql`date(${timesheets.weekStart}, '+6 days')`),
);
const weekMinutes = sql<number>`coalesce(sum(${timeEntries.minutes}), 0)`.mapWith(Number);
const weekBillable =
  sql<number>`coalesce(sum(case when ${timeEntries.billable} then ${timeEntries.minutes} else 0 end), 0)`.mapWith(
    Number,
  );

function ownerFilter(ctx: ServiceContext, userId: string): SQL | undefined {
  if (userId === "me" || userId === ctx.userId) return eq(timesheets.userId, ctx.userId);
  if (userId === "all") {
    const scope = timeScopeOf(ctx);
    return scope.kind === "all" ? undefined : sql`${timesheets.userId} in ${[...scope.ids]}`;
  }
  assertSeesTimeOf(ctx, userId);
  return eq(timesheets.userId, userId);
}

/** Timesheets, newest week first, with each week's minutes. Keyset on (weekStart, id). */
export function listTimesheets(
  ctx: ServiceContext,
  query: TimesheetListQuery,
): { data: TimesheetRow[]; nextCursor: string | null } {
  let after: SQL | undefined;
  if (query.cursor) {
    const [week, id] = decodeCursor(query.cursor, 2);
    after = or(
      lt(timesheets.weekStart, String(week)),
      and(eq(timesheets.weekStart, String(week)), lt(timesheets.id, String(id))),
    );
  }
  const rows = ctx.db
    .select({ sheet: timesheets, minutes: weekMinutes, billableMinutes: weekBillable })
    .from(timesheets)
    .leftJoin(timeEntries, sheetEntries)
    .where(
      and(
        eq(timesheets.orgId, ctx.orgId),
        ownerFilter(ctx, query.userId),
        query.status ? eq(timesheets.status, query.status) : undefined,
        query.week ? eq(timesheets.weekStart, weekStartOf(query.week)) : undefined,
        after,
      ),
    )
    .groupBy(timesheets.id)
    .orderBy(desc(timesheets.weekStart), desc(timesheets.id))
    .limit(query.limit + 1)
    .all()
    .map((row) => ({ ...row.sheet, minutes: row.minutes, billableMinutes: row.billableMinutes }));
  return pageOf(rows, query.limit, (row) => [row.weekStart, row.id]);
}

/** A timesheet the caller may see, with its week; null otherwise (another organisation's too). */
export function findTimesheetById(ctx: ServiceContext, id: string): { sheet: Timesheet; week: WeekSummary } | null {
  const sheet = ctx.db
    .select()
    .from(timesheets)
    .where(and(eq(timesheets.orgId, ctx.orgId), eq(timesheets.id, id)))
    .get();
  if (!sheet || (sheet.userId !== ctx.userId && !inScope(timeScopeOf(ctx), sheet.userId))) return null;
  return { sheet, week: weekSummaryOf(ctx.db, ctx.orgId, sheet.userId, sheet.weekStart) };
}

/** The timesheet with its week, or 404 "No such timesheet." where the caller may not see it. */
export function timesheetOrNotFound(ctx: ServiceContext, id: string): { sheet: Timesheet; week: WeekSummary } {
  const found = findTimesheetById(ctx, id);
  if (!found) throw notFound("timesheet");
  return found;
}

/** The active team leads of the submitter's own teams, in a stable order. */
export function activeTeamLeadsOf(tx: DbTransaction, orgId: string, userId: string): string[] {
  return teamLeadsOf(tx, orgId, userId)
    .filter((leadId) => findMember(tx, orgId, leadId) !== null)
    .sort();
}

/**
 * Routes a pipeline step of a timesheet: a `team_lead` role step goes to the submitter's own
 * team lead (a step has one approver: the first when they have several); without one it becomes
 * a role step for the managers (for the admins when the submitter is the only manager).
 */
export function timesheetStepResolver(tx: DbTransaction, orgId: string, submitterId: string) {
  return (step: ApprovalStepSpec): ApprovalStepSpec => {
    if (step.approverType !== "role" || step.approverRole !== "team_lead") return step;
    const lead = activeTeamLeadsOf(tx, orgId, submitterId)[0];
    if (lead) return { ...step, approverType: "user", approverUserId: lead, approverRole: null };
    // A manager's own week (no other manager to ask) goes to the admins instead of nobody.
    const managers = memberIdsWithRole(tx, orgId, "manager").filter((id) => id !== submitterId);
    const role = managers.length > 0 ? "manager" : "admin";
    return { ...step, approverType: "role", approverUserId: null, approverRole: role };
  };
}

/**
 * Submits the caller's week: the sheet (created when missing) becomes `submitted` and an
 * approval starts in the same transaction. 422 for an empty week, 409 when already submitted or approved.
 */
export function submitTimesheet(
  ctx: ServiceContext,
  input: SubmitTimesheetInput,
  now = new Date(),
): { sheet: Timesheet; created: boolean } {
  return ctx.db.transaction((tx) => {
    const week = weekSummaryOf(tx, ctx.orgId, ctx.userId, input.weekStart);
    if (week.locked) throw new AppError("conflict", `This week is already ${week.status}.`);
    if (week.minutes === 0) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "weekStart", message: "No time is logged in this week: log some before submitting it." },
      ]);
    }
    const existing = findSheetOfWeek(tx, ctx.orgId, ctx.userId, input.weekStart);
    const sheet =
      existing ??
      tx
        .insert(timesheets)
        .values({ id: newId("tsh"), orgId: ctx.orgId, userId: ctx.userId, weekStart: input.weekStart })
        .returning()
        .get();
    const name = namesOf(tx, ctx.orgId, [ctx.userId]).get(ctx.userId) ?? "Someone";
    const request = startApproval(tx, ctx, {
      subjectType: "timesheet",
      subjectId: sheet.id,
      title: `Timesheet of ${name}, week of ${input.weekStart}`,
      details: `${formatMinutes(week.minutes)} from ${input.weekStart} to ${addDays(input.weekStart, 6)} (${formatMinutes(week.billableMinutes)} billable).`,
      resolveStep: timesheetStepResolver(tx, ctx.orgId, ctx.userId),
    });
    const submitted = tx
      .update(timesheets)
      .set({ status: "submitted", approvalRequestId: request.id, submittedAt: now, decidedAt: null, updatedAt: now })
      .where(eq(timesheets.id, sheet.id))
      .returning()
      .get();
    if (!submitted) throw new AppError("internal", "The timesheet could not be read back.");
    publishEvent(tx, ctx, {
      type: "timesheet.submitted",
      subjectType: "timesheet",
      subjectId: sheet.id,
      summary: `${name} submitted the timesheet of the week of ${input.weekStart}`,
      data: { userId: ctx.userId, weekStart: input.weekStart, approvalRequestId: request.id, minutes: week.minutes },
      audience: currentApproverIds(tx, ctx.orgId, request),
    });
    return { sheet: submitted, created: existing === null };
  });
}

/**
 * Opens a submitted-and-decided week again (timesheets.approve over its person). A Team Lead
 * never reopens their own sheet; a Manager or Admin may. A sheet still waiting on its approval
 * is decided (or cancelled) there instead.
 */
export function reopenTimesheet(ctx: ServiceContext, id: string, now = new Date()): Timesheet {
  return ctx.db.transaction((tx) => {
    const found = timesheetOrNotFound(ctx, id);
    const { sheet } = found;
    if (sheet.userId === ctx.userId && !approvesEveryone(ctx)) {
      throw new AppError("forbidden", "Your own timesheet is reopened by a manager.");
    }
    if (sheet.status === "open") throw new AppError("conflict", "This week is already open.");
    if (sheet.status === "submitted") {
      throw new AppError("conflict", "This week is waiting for approval: reject the request to open it again.");
    }
    const reopened = tx
      .update(timesheets)
      .set({ status: "open", updatedAt: now })
      .where(eq(timesheets.id, sheet.id))
      .returning()
      .get();
    if (!reopened) throw notFound("timesheet");
    const names = namesOf(tx, ctx.orgId, [ctx.userId, sheet.userId]);
    publishEvent(tx, ctx, {
      type: "timesheet.reopened",
      subjectType: "timesheet",
      subjectId: sheet.id,
      summary: `${names.get(ctx.userId) ?? "Someone"} reopened the timesheet of ${names.get(sheet.userId) ?? "someone"} for the week of ${sheet.weekStart}`,
      data: { userId: sheet.userId, weekStart: sheet.weekStart, from: sheet.status },
      audience: [sheet.userId],
    });
    return reopened;
  });
}
