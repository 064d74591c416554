import { z } from "zod";
import { invoiceStatuses } from "../../../models/billing.ts";

const day = z.iso.date("Use a date like 2030-01-31.");
const format = z.enum(["json", "csv"]).default("json");

/** GET /reports/hours: `groupBy=person` needs timesheets.approve. Days are UTC, both ends included. */
export const hoursReportQuery = z.object({
  groupBy: z.enum(["project", "person"]).default("project"),
  from: day.optional(),
  to: day.optional(),
  format,
});
export type HoursReportQuery = z.infer<typeof hoursReportQuery>;

/** GET /reports/invoices: by status, or by month of the issue date (void ones left out). */
export const invoicesReportQuery = z.object({
  groupBy: z.enum(["status", "month"]).default("status"),
  from: day.optional(),
  to: day.optional(),
  format,
});
export type InvoicesReportQuery = z.infer<typeof invoicesReportQuery>;

/** GET /reports/tasks-completed: the last `weeks` ISO weeks, this one included. */
export const tasksCompletedQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(104).default(12),
  format,
});
export type TasksCompletedQuery = z.infer<typeof tasksCompletedQuery>;

const range = { from: z.string(), to: z.string() };
const minutes = { minutes: z.number().int(), billableMinutes: z.number().int(), hours: z.number() };

export const hoursReportJson = z.object({
  groupBy: z.enum(["project", "person"]),
  ...range,
  data: z.array(
    z.union([
      z.object({
        projectId: z.string().nullable(),
        projectCode: z.string().nullable(),
        projectName: z.string(),
        ...minutes,
      }),
      z.object({ userId: z.string(), name: z.string(), ...minutes }),
    ]),
  ),
});

export const invoicesReportJson = z.object({
  groupBy: z.enum(["status", "month"]),
  ...range,
  data: z.array(
    z.union([
      z.object({
        status: z.enum(invoiceStatuses),
        currency: z.string(),
        count: z.number().int(),
        total: z.number().int(),
      }),
      z.object({ month: z.string(), currency: z.string(), count: z.number().int(), total: z.number().int() }),
    ]),
  ),
});

export const tasksCompletedJson = z.object({
  weeks: z.number().int(),
  data: z.array(z.object({ week: z.string(), weekStart: z.string(), count: z.number().int() })),
});
