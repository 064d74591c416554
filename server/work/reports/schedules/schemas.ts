import { z } from "zod";
import {
  reportFormats,
  reportPeriods,
  scheduledReports,
  scheduleFrequencies,
} from "../../../../models/report-schedules.ts";
import { weekChoices } from "../../../../views/pages/work/reports/reports-page.tsx";
import { pageQuery } from "../../../http/cursor.ts";

/** One schema per request, shared by the API, the console form and the OpenAPI document. */

const fields = {
  name: z.string().trim().min(1, "Give the schedule a name.").max(120, "Use at most 120 characters."),
  report: z.enum(scheduledReports, "Choose a report."),
  period: z
    .enum(reportPeriods, "Choose a period.")
    .describe("The days the report covers, counted from the local day it is sent (not used by tasks_completed)."),
  weeks: z
    .number()
    .int()
    .refine((weeks) => (weekChoices as readonly number[]).includes(weeks), `Choose ${weekChoices.join(", ")} weeks.`)
    .describe("For tasks_completed: how many ISO weeks, this one included."),
  frequency: z.enum(scheduleFrequencies, "Choose weekly or monthly."),
  weekday: z.number().int().min(0).max(6).nullable().describe("Weekly: 0 = Sunday … 6 = Saturday."),
  monthDay: z
    .number()
    .int()
    .min(1, "Choose a day from 1 to 31.")
    .max(31, "Choose a day from 1 to 31.")
    .nullable()
    .describe("Monthly: 1–31; 29–31 fall on the last day of shorter months."),
  hour: z
    .number()
    .int()
    .min(0, "Choose an hour from 0 to 23.")
    .max(23, "Choose an hour from 0 to 23.")
    .describe("The local hour in the organisation's time zone."),
  recipientIds: z
    .array(z.string().trim().min(1).max(64))
    .min(1, "Choose at least one person.")
    .max(50, "Choose at most 50 people.")
    .describe("Members of the organisation; each must be allowed to see the report on the Reports page."),
  formats: z.array(z.enum(reportFormats)).min(1, "Choose CSV, PDF or both.").max(2),
  enabled: z.boolean(),
};

type Cadence = { frequency?: string; weekday?: number | null; monthDay?: number | null };

/** A weekly schedule needs its weekday, a monthly one its day of the month. */
function checkCadence(value: Cadence, ctx: z.RefinementCtx): void {
  if (value.frequency === "weekly" && (value.weekday === null || value.weekday === undefined))
    ctx.addIssue({ code: "custom", path: ["weekday"], message: "Choose a weekday." });
  if (value.frequency === "monthly" && (value.monthDay === null || value.monthDay === undefined))
    ctx.addIssue({ code: "custom", path: ["monthDay"], message: "Choose a day of the month." });
}

export const reportScheduleInput = z
  .object({
    ...fields,
    period: fields.period.default("last_week"),
    weeks: fields.weeks.default(12),
    weekday: fields.weekday.default(null),
    monthDay: fields.monthDay.default(null),
    enabled: fields.enabled.default(true),
  })
  .superRefine(checkCadence)
  // Only the day that applies is kept: a monthly schedule has no weekday, a weekly one no day of the month.
  .transform((value) => ({
    ...value,
    weekday: value.frequency === "weekly" ? value.weekday : null,
    monthDay: value.frequency === "monthly" ? value.monthDay : null,
  }));
export type ReportScheduleInput = z.infer<typeof reportScheduleInput>;

/** PATCH: any of the fields; the result is checked as a whole. */
export const reportScheduleChange = z.object(fields).partial();
export type ReportScheduleChange = z.infer<typeof reportScheduleChange>;

export const reportScheduleJson = z.object({
  id: z.string(),
  name: z.string(),
  report: z.enum(scheduledReports),
  reportLabel: z.string(),
  period: z.enum(reportPeriods),
  weeks: z.number().int(),
  frequency: z.enum(scheduleFrequencies),
  weekday: z.number().int().nullable(),
  monthDay: z.number().int().nullable(),
  hour: z.number().int(),
  timeZone: z.string().describe("The organisation's time zone, which the hour is in."),
  cadence: z.string().describe('In words: "every Monday at 08:00".'),
  recipientIds: z.array(z.string()),
  formats: z.array(z.enum(reportFormats)),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable().describe("When it is next sent by its schedule; null while switched off."),
  sendRequested: z.boolean().describe('"Send now" was asked for and the background job has not sent it yet.'),
  lastSentAt: z.string().nullable(),
  lastResult: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReportScheduleJson = z.infer<typeof reportScheduleJson>;

export const reportSchedulePage = z.object({ data: z.array(reportScheduleJson), nextCursor: z.string().nullable() });

export const reportScheduleListQuery = pageQuery;

/** POST /report-schedules/{id}/runs: the run of the scheduled-reports job that sends it (visible on /jobs). */
export const reportSendJson = z.object({
  scheduleId: z.string(),
  runId: z.string(),
  runStatus: z.string().describe("The job run's status: queued, running, …"),
});
