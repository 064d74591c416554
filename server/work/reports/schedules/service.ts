import { and, asc, eq } from "drizzle-orm";
import type { JobRun } from "../../../../models/jobs.ts";
import { type ReportSchedule, reportSchedules } from "../../../../models/report-schedules.ts";
import { recordAudit } from "../../../audit/service.ts";
import { actorOf, type ServiceContext } from "../../../auth/sessions/context.ts";
import type { Queryable } from "../../../db.ts";
import { AppError, notFound, validationFailed } from "../../../http/errors.ts";
import { assertIfMatch, etagOf } from "../../../http/etag.ts";
import type { JobScheduler } from "../../../jobs/scheduler.ts";
import { organizationTimeZone } from "../../../organization-time-zone.ts";
import { newId } from "../../../tools/ids.ts";
import { latestSlot } from "../../../tools/local-slots.ts";
import { reportKinds } from "./catalog.ts";
import { REPORT_SCHEDULES_JOB } from "./job.ts";
import { cadenceOf, inputOf, reportScheduleJsonOf } from "./json.ts";
import { resolveRecipients } from "./recipients.ts";
import { type ReportScheduleChange, type ReportScheduleInput, reportScheduleInput } from "./schemas.ts";

export function listReportSchedules(ctx: ServiceContext): ReportSchedule[] {
  return ctx.db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, ctx.orgId))
    .orderBy(asc(reportSchedules.name), asc(reportSchedules.id))
    .all();
}

export function findReportScheduleById(ctx: ServiceContext, id: string): ReportSchedule | null {
  return (
    ctx.db
      .select()
      .from(reportSchedules)
      .where(and(eq(reportSchedules.id, id), eq(reportSchedules.orgId, ctx.orgId)))
      .get() ?? null
  );
}

/** 404 for an unknown id and for another organisation's schedule alike. */
export function reportScheduleOrNotFound(ctx: ServiceContext, id: string): ReportSchedule {
  const schedule = findReportScheduleById(ctx, id);
  if (!schedule) throw notFound("report schedule");
  return schedule;
}

export const reportScheduleEtag = (ctx: ServiceContext, schedule: ReportSchedule, now = new Date()) =>
  etagOf(reportScheduleJsonOf(schedule, organizationTimeZone(ctx.db, ctx.orgId), now));

/** 422 on `recipientIds` unless every chosen person is a member who may see the report on the Reports page. */
function assertRecipients(ctx: ServiceContext, input: ReportScheduleInput): void {
  const kind = reportKinds[input.report];
  const { skipped } = resolveRecipients(ctx, ctx.orgId, input.recipientIds, kind);
  const first = skipped[0];
  if (!first) return;
  const message = first.left
    ? "One of the people chosen is not a member of this organisation."
    : `${first.name} may not see ${kind.label.toLowerCase()} on the Reports page.`;
  throw new AppError("validation_failed", "The request is not valid.", [{ path: "recipientIds", message }]);
}

/** The slot that is current now: a new or re-timed schedule starts with the next one, never a past one. */
function currentSlot(ctx: ServiceContext, input: ReportScheduleInput, now: Date): string {
  return latestSlot(now, organizationTimeZone(ctx.db, ctx.orgId), cadenceOf(input));
}

function audit(db: Queryable, ctx: ServiceContext, action: string, schedule: ReportSchedule, now: Date): void {
  recordAudit(
    db,
    {
      orgId: ctx.orgId,
      action,
      ...actorOf(ctx),
      targetType: "report_schedule",
      targetId: schedule.id,
      details: { name: schedule.name, report: schedule.report },
      meta: ctx.meta,
    },
    now,
  );
}

export function createReportSchedule(ctx: ServiceContext, input: ReportScheduleInput, now = new Date()) {
  assertRecipients(ctx, input);
  return ctx.db.transaction((tx) => {
    const schedule = tx
      .insert(reportSchedules)
      .values({
        id: newId("rsc", now.getTime()),
        orgId: ctx.orgId,
        ...input,
        recipientIds: [...new Set(input.recipientIds)],
        formats: [...new Set(input.formats)],
        lastSlot: currentSlot(ctx, input, now),
        createdBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    audit(tx, ctx, "report_schedule.created", schedule, now);
    return schedule;
  });
}

/** Changes a schedule (412 on a stale `If-Match`); a changed cadence starts again from its next slot. */
export function updateReportSchedule(
  ctx: ServiceContext,
  id: string,
  change: ReportScheduleChange,
  ifMatch: string | undefined,
  now = new Date(),
): ReportSchedule {
  const before = reportScheduleOrNotFound(ctx, id);
  assertIfMatch(ifMatch, reportScheduleEtag(ctx, before, now));
  const parsed = reportScheduleInput.safeParse({ ...inputOf(before), ...change });
  if (!parsed.success) throw validationFailed(parsed.error);
  const input = parsed.data;
  assertRecipients(ctx, input);
  const retimed =
    input.frequency !== before.frequency ||
    input.weekday !== before.weekday ||
    input.monthDay !== before.monthDay ||
    input.hour !== before.hour ||
    (input.enabled && !before.enabled);
  const schedule = ctx.db
    .update(reportSchedules)
    .set({
      ...input,
      recipientIds: [...new Set(input.recipientIds)],
      formats: [...new Set(input.formats)],
      ...(retimed ? { lastSlot: currentSlot(ctx, input, now) } : {}),
      updatedAt: now,
    })
    .where(and(eq(reportSchedules.id, id), eq(reportSchedules.orgId, ctx.orgId)))
    .returning()
    .get();
  if (!schedule) throw notFound("report schedule");
  audit(ctx.db, ctx, "report_schedule.updated", schedule, now);
  return schedule;
}

export function deleteReportSchedule(ctx: ServiceContext, id: string, now = new Date()): void {
  const schedule = reportScheduleOrNotFound(ctx, id);
  ctx.db
    .delete(reportSchedules)
    .where(and(eq(reportSchedules.id, id), eq(reportSchedules.orgId, ctx.orgId)))
    .run();
  audit(ctx.db, ctx, "report_schedule.deleted", schedule, now);
}

/**
 * "Send now": marks the schedule and queues a run of the scheduled-reports job for the
 * organisation, which sends it (with whatever else is due) in the background. 503 without a
 * scheduler. While a run of the job is already open, that run or the next one (within 5 minutes)
 * sends it: the request is kept on the schedule until it is sent.
 */
export function requestReportSend(
  ctx: ServiceContext,
  id: string,
  scheduler: JobScheduler | undefined,
  now = new Date(),
): { schedule: ReportSchedule; run: JobRun } {
  reportScheduleOrNotFound(ctx, id);
  if (!scheduler) throw new AppError("unavailable", "The job scheduler is not running.");
  const schedule = ctx.db
    .update(reportSchedules)
    .set({ sendRequestedAt: now })
    .where(and(eq(reportSchedules.id, id), eq(reportSchedules.orgId, ctx.orgId)))
    .returning()
    .get();
  if (!schedule) throw notFound("report schedule");
  audit(ctx.db, ctx, "report_schedule.send_requested", schedule, now);
  const { run } = scheduler.runNow(REPORT_SCHEDULES_JOB, ctx.orgId, "manual", ctx.userId);
  return { schedule, run };
}
