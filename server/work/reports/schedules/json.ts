import type { ReportSchedule } from "../../../../models/report-schedules.ts";
import { describeCadence, type LocalCadence, nextSlotAt } from "../../../tools/local-slots.ts";
import { reportKinds } from "./catalog.ts";
import type { ReportScheduleInput, ReportScheduleJson } from "./schemas.ts";

/** The schedule's local hour as the slot helpers take it. */
export function cadenceOf(schedule: Pick<ReportScheduleInput, "frequency" | "weekday" | "monthDay" | "hour">) {
  const cadence: LocalCadence =
    schedule.frequency === "weekly"
      ? { frequency: "weekly", weekday: schedule.weekday ?? 1, hour: schedule.hour }
      : { frequency: "monthly", monthDay: schedule.monthDay ?? 1, hour: schedule.hour };
  return cadence;
}

/** When the schedule next sends by itself; null while it is switched off. */
export function nextRunOf(schedule: ReportSchedule, timeZone: string, now: Date): Date | null {
  return schedule.enabled ? nextSlotAt(now, timeZone, cadenceOf(schedule)) : null;
}

export function reportScheduleJsonOf(schedule: ReportSchedule, timeZone: string, now: Date): ReportScheduleJson {
  return {
    id: schedule.id,
    ...inputOf(schedule),
    reportLabel: reportKinds[schedule.report].label,
    timeZone,
    cadence: describeCadence(cadenceOf(schedule)),
    nextRunAt: nextRunOf(schedule, timeZone, now)?.toISOString() ?? null,
    sendRequested: schedule.sendRequestedAt !== null,
    lastSentAt: schedule.lastSentAt?.toISOString() ?? null,
    lastResult: schedule.lastResult,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

/** A stored schedule as the input it would be created from. */
export function inputOf(schedule: ReportSchedule): ReportScheduleInput {
  return {
    name: schedule.name,
    report: schedule.report,
    period: schedule.period,
    weeks: schedule.weeks,
    frequency: schedule.frequency,
    weekday: schedule.weekday,
    monthDay: schedule.monthDay,
    hour: schedule.hour,
    recipientIds: schedule.recipientIds,
    formats: schedule.formats,
    enabled: schedule.enabled,
  };
}
