import { z } from "zod";
import { timesheetStatuses } from "../../../models/time.ts";

/** What the time API answers, for the OpenAPI document (the JSON itself is built in *-json.ts). */

const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const timeEntryJsonSchema = z.object({
  id: z.string(),
  userId: z.string(),
  date: z.string().describe("YYYY-MM-DD"),
  minutes: z.number().int(),
  taskId: z.string().nullable(),
  projectId: z.string().nullable(),
  note: z.string(),
  billable: z.boolean(),
  invoiced: z.boolean().describe("Billed on an invoice: the entry is read-only."),
  invoiceLineId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const timeEntryPageSchema = page(timeEntryJsonSchema);
export const timeEntriesSchema = z.object({ data: z.array(timeEntryJsonSchema) });

export const totalsJsonSchema = z.object({
  groupBy: z.enum(["project", "person", "task"]),
  from: z.string(),
  to: z.string(),
  data: z.array(
    z.object({ id: z.string().nullable(), name: z.string(), minutes: z.number(), billableMinutes: z.number() }),
  ),
  total: z.object({ minutes: z.number(), billableMinutes: z.number() }),
});

export const timerJsonSchema = z.object({
  id: z.string(),
  userId: z.string(),
  taskId: z.string().nullable(),
  projectId: z.string().nullable(),
  note: z.string(),
  billable: z.boolean(),
  startedAt: z.string(),
  elapsedMinutes: z.number().int(),
});
export const startedTimerJsonSchema = timerJsonSchema.extend({
  stoppedEntries: z.array(timeEntryJsonSchema).describe("The entries saved from the timer that was running before."),
});

export const timesheetJsonSchema = z.object({
  id: z.string(),
  userId: z.string(),
  weekStart: z.string(),
  weekEnd: z.string(),
  week: z.string().describe("ISO week, 2025-W07"),
  status: z.enum(timesheetStatuses),
  approvalRequestId: z.string().nullable(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  minutes: z.number().int(),
  billableMinutes: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const timesheetPageSchema = page(timesheetJsonSchema);
const minutesOf = { minutes: z.number().int(), billableMinutes: z.number().int() };
export const timesheetDetailJsonSchema = timesheetJsonSchema.extend({
  entries: z.array(timeEntryJsonSchema),
  totals: z.object({
    byDay: z.array(z.object({ date: z.string(), ...minutesOf })),
    byProject: z.array(z.object({ projectId: z.string().nullable(), name: z.string(), ...minutesOf })),
  }),
});
