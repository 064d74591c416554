import { z } from "zod";
import { timesheetStatuses } from "../../../models/time.ts";
import { pageQuery } from "../../http/cursor.ts";
import { isMonday } from "../../tools/days.ts";

/** One schema per request: the API validates with these, the console forms too, OpenAPI shows them. */

export const day = z.iso.date({ error: "Use a date like 2025-03-14." });
const id = z.string().trim().min(1).max(64);
const optionalId = id.nullable().optional();
export const entryMinutes = z
  .number({ error: "Enter the time worked in minutes." })
  .int("Use whole minutes.")
  .min(1, "Log at least 1 minute.")
  .max(1440, "A day has at most 24 hours (1440 minutes).");
const note = z.string().trim().max(2000, "Use at most 2000 characters.");
/** `me` (the default), `all` (everyone the caller may see) or a person's id. */
const whose = z.union([z.literal("me"), z.literal("all"), id]);
const booleanQuery = z.enum(["true", "false"]).transform((value) => value === "true");

export const createTimeEntryInput = z
  .object({
    date: day,
    minutes: entryMinutes,
    taskId: optionalId,
    projectId: optionalId,
    note: note.default(""),
    billable: z.boolean().default(false),
    /** Whose time: the caller by default; someone else's needs `timesheets.approve` over them. */
    userId: id.optional(),
  })
  .strict();
export type CreateTimeEntryInput = z.infer<typeof createTimeEntryInput>;

export const updateTimeEntryInput = z
  .object({
    date: day.optional(),
    minutes: entryMinutes.optional(),
    taskId: optionalId,
    projectId: optionalId,
    note: note.optional(),
    billable: z.boolean().optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one of date, minutes, taskId, projectId, note or billable.",
  });
export type UpdateTimeEntryInput = z.infer<typeof updateTimeEntryInput>;

const rangeFilters = {
  userId: whose.default("me"),
  projectId: id.optional(),
  taskId: id.optional(),
  from: day.optional(),
  to: day.optional(),
  billable: booleanQuery.optional(),
};

export const timeEntryListQuery = pageQuery.extend(rangeFilters);
export type TimeEntryListQuery = z.infer<typeof timeEntryListQuery>;

export const timeEntryCsvQuery = z.object(rangeFilters);
export type TimeEntryFilters = z.infer<typeof timeEntryCsvQuery>;

export const timeTotalsQuery = z.object({
  groupBy: z.enum(["project", "person", "task"]).default("project"),
  from: day.optional(),
  to: day.optional(),
  /** Everyone the caller may see by default. */
  userId: whose.default("all"),
});
export type TimeTotalsQuery = z.infer<typeof timeTotalsQuery>;

export const startTimerInput = z
  .object({
    taskId: optionalId,
    projectId: optionalId,
    note: note.default(""),
    billable: z.boolean().default(false),
  })
  .strict();
export type StartTimerInput = z.infer<typeof startTimerInput>;

export const timesheetListQuery = pageQuery.extend({
  userId: whose.default("me"),
  status: z.enum(timesheetStatuses).optional(),
  /** Any day of the week wanted. */
  week: day.optional(),
});
export type TimesheetListQuery = z.infer<typeof timesheetListQuery>;

export const submitTimesheetInput = z
  .object({ weekStart: day.refine(isMonday, "A week starts on a Monday.") })
  .strict();
export type SubmitTimesheetInput = z.infer<typeof submitTimesheetInput>;
