import type { Context } from "hono";
import { type ReportSchedule, reportPeriods, scheduledReports } from "../../../../models/report-schedules.ts";
import type { FieldErrors } from "../../../../views/components/form-fields.tsx";
import { weekChoices } from "../../../../views/pages/work/reports/reports-page.tsx";
import type { ScheduleFormProps, ScheduleFormValues } from "../../../../views/pages/work/reports/schedule-form.tsx";
import type { ScheduleRow, SchedulesPageProps } from "../../../../views/pages/work/reports/schedules-page.tsx";
import { isBuiltInRole, roleLabels } from "../../../auth/roles/permissions.ts";
import { permissionsOfRole } from "../../../auth/roles/roles.ts";
import type { ServiceContext } from "../../../auth/sessions/context.ts";
import { formCsrf } from "../../../http/console-forms.ts";
import type { AppEnv } from "../../../http/env.ts";
import { FORMER_MEMBER, listMembers, namesOf } from "../../../members/directory.ts";
import { organizationTimeZone } from "../../../organization-time-zone.ts";
import { describeCadence, weekdayName } from "../../../tools/local-slots.ts";
import { periodLabels, reportKinds } from "./catalog.ts";
import { cadenceOf, nextRunOf } from "./json.ts";

const MINUTE = 60_000;

/** "in 3 days", "in 5 hours", "in 20 minutes". */
function fromNow(at: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((at.getTime() - now.getTime()) / MINUTE));
  const [count, unit] =
    minutes >= 2 * 24 * 60
      ? [Math.round(minutes / 1440), "day"]
      : minutes >= 120
        ? [Math.round(minutes / 60), "hour"]
        : [minutes, "minute"];
  return `in ${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** A moment on the organisation's wall clock: "Mon 14 Dec 2026, 08:00". */
function localMoment(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? "";
  return `${part("weekday")} ${part("day")} ${part("month")} ${part("year")}, ${part("hour")}:${part("minute")}`;
}

export function schedulesPageProps(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  schedules: ReportSchedule[],
  notice: string | null,
): SchedulesPageProps {
  const now = new Date();
  const timeZone = organizationTimeZone(ctx.db, ctx.orgId);
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    schedules.flatMap((schedule) => schedule.recipientIds),
  );
  const rows = schedules.map((schedule): ScheduleRow => {
    const kind = reportKinds[schedule.report];
    const next = nextRunOf(schedule, timeZone, now);
    return {
      id: schedule.id,
      name: schedule.name,
      report: kind.label,
      covers: kind.usesPeriod ? periodLabels[schedule.period] : `Last ${schedule.weeks} weeks`,
      cadence: describeCadence(cadenceOf(schedule)),
      nextRun: next ? `${localMoment(next, timeZone)} (${fromNow(next, now)})` : "Switched off",
      recipients: schedule.recipientIds.map((id) => names.get(id) ?? FORMER_MEMBER).join(", "),
      formats: schedule.formats.map((format) => format.toUpperCase()).join(" + "),
      sendRequested: schedule.sendRequestedAt !== null,
      lastSent: schedule.lastSentAt ? localMoment(schedule.lastSentAt, timeZone) : null,
      lastResult: schedule.lastResult,
    };
  });
  return { rows, timeZone, notice, csrf: formCsrf(c) };
}

/** A new schedule's form: the report asked for (from the Reports page's "Schedule this report"), weekly on Monday at 08:00. */
export function newScheduleValues(report: string | undefined): ScheduleFormValues {
  const chosen = (scheduledReports as readonly string[]).includes(report ?? "") ? (report ?? "") : "hours_by_project";
  return {
    name: `Weekly ${reportKinds[chosen as keyof typeof reportKinds].label.toLowerCase()}`,
    report: chosen,
    period: "last_week",
    weeks: "12",
    frequency: "weekly",
    weekday: "1",
    monthDay: "1",
    hour: "8",
    recipientIds: [],
    formats: ["csv", "pdf"],
    enabled: true,
  };
}

export function scheduleValuesOf(schedule: ReportSchedule): ScheduleFormValues {
  return {
    name: schedule.name,
    report: schedule.report,
    period: schedule.period,
    weeks: String(schedule.weeks),
    frequency: schedule.frequency,
    weekday: String(schedule.weekday ?? 1),
    monthDay: String(schedule.monthDay ?? 1),
    hour: String(schedule.hour),
    recipientIds: schedule.recipientIds,
    formats: schedule.formats,
    enabled: schedule.enabled,
  };
}

function roleName(ctx: ServiceContext, role: string): string {
  if (isBuiltInRole(role)) return roleLabels[role];
  return permissionsOfRole(ctx.db, ctx.orgId, role)?.name ?? role;
}

export function scheduleFormProps(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  id: string | null,
  values: ScheduleFormValues,
  errors: FieldErrors,
): ScheduleFormProps {
  return {
    id,
    values,
    errors,
    timeZone: organizationTimeZone(ctx.db, ctx.orgId),
    csrf: formCsrf(c),
    options: {
      reports: scheduledReports.map((report) => ({ value: report, label: reportKinds[report].label })),
      periods: reportPeriods.map((period) => ({ value: period, label: periodLabels[period] })),
      weeks: weekChoices.map((weeks) => ({ value: String(weeks), label: `${weeks} weeks` })),
      weekdays: [1, 2, 3, 4, 5, 6, 0].map((day) => ({ value: String(day), label: weekdayName(day) })),
      hours: Array.from({ length: 24 }, (_, hour) => ({
        value: String(hour),
        label: `${String(hour).padStart(2, "0")}:00`,
      })),
      people: listMembers(ctx.db, ctx.orgId).map((member) => ({
        value: member.id,
        label: member.name,
        hint: roleName(ctx, member.role),
      })),
    },
  };
}
