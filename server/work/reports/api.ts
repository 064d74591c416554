import { type Context, Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { respondWithReportCsv } from "./csv.ts";
import {
  hoursReportJson,
  hoursReportQuery,
  invoicesReportJson,
  invoicesReportQuery,
  tasksCompletedJson,
  tasksCompletedQuery,
} from "./schemas.ts";
import { hoursReport, invoicesReport, type ReportTable, tasksCompletedReport } from "./tables.ts";

const tags = ["Reports"];
const csv = { description: "The same rows as CSV", contentType: "text/csv" };

function respond(c: Context<AppEnv>, table: ReportTable, format: "json" | "csv"): Response {
  if (format === "csv") return respondWithReportCsv(c, table);
  return c.json({ ...table.meta, data: table.data });
}

/** /reports/hours, /reports/invoices, /reports/tasks-completed: JSON, or CSV with `format=csv` or a `.csv` path. */
export const reportsApi = new Hono<AppEnv>()
  .get(
    "/hours",
    apiDoc({
      summary: "Hours by project or person",
      description:
        "Logged minutes and hours over a range of days (default: the last twelve months). `groupBy=person` needs timesheets.approve; a Team Lead sees the people of the teams they lead. `format=csv` gives the same rows as CSV.",
      tags,
      responses: { 200: { description: "Totals, most hours first", schema: hoursReportJson } },
    }),
    requirePermission("workspace.read"),
    validate("query", hoursReportQuery),
    (c) => {
      const query = c.req.valid("query");
      return respond(c, hoursReport(serviceContext(c), query), query.format);
    },
  )
  .get(
    "/hours.csv",
    apiDoc({ summary: "Hours by project or person (CSV)", tags, responses: { 200: csv } }),
    requirePermission("workspace.read"),
    validate("query", hoursReportQuery),
    (c) => respondWithReportCsv(c, hoursReport(serviceContext(c), c.req.valid("query"))),
  )
  .get(
    "/invoices",
    apiDoc({
      summary: "Invoices by status or month",
      description:
        "Count and total (minor units) per currency of the invoices issued in a range of days (default: the last twelve months), by status or by month of the issue date (void invoices left out). `format=csv` gives the same rows as CSV.",
      tags,
      responses: { 200: { description: "Counts and totals", schema: invoicesReportJson } },
    }),
    requirePermission("invoices.manage"),
    validate("query", invoicesReportQuery),
    (c) => {
      const query = c.req.valid("query");
      return respond(c, invoicesReport(serviceContext(c), query), query.format);
    },
  )
  .get(
    "/invoices.csv",
    apiDoc({ summary: "Invoices by status or month (CSV)", tags, responses: { 200: csv } }),
    requirePermission("invoices.manage"),
    validate("query", invoicesReportQuery),
    (c) => respondWithReportCsv(c, invoicesReport(serviceContext(c), c.req.valid("query"))),
  )
  .get(
    "/tasks-completed",
    apiDoc({
      summary: "Tasks completed per week",
      description:
        "Tasks done per ISO week (UTC), for the last `weeks` weeks including the current one, oldest first, empty weeks as 0. `format=csv` gives the same rows as CSV.",
      tags,
      responses: { 200: { description: "One row per week", schema: tasksCompletedJson } },
    }),
    requirePermission("workspace.read"),
    validate("query", tasksCompletedQuery),
    (c) => {
      const query = c.req.valid("query");
      return respond(c, tasksCompletedReport(serviceContext(c), query), query.format);
    },
  )
  .get(
    "/tasks-completed.csv",
    apiDoc({ summary: "Tasks completed per week (CSV)", tags, responses: { 200: csv } }),
    requirePermission("workspace.read"),
    validate("query", tasksCompletedQuery),
    (c) => respondWithReportCsv(c, tasksCompletedReport(serviceContext(c), c.req.valid("query"))),
  );
