import type { ServiceContext } from "../../auth/sessions/context.ts";
import { AppError } from "../../http/errors.ts";
import { hoursByPerson, hoursByProject } from "./hours.ts";
import { invoicesByMonth, invoicesByStatus } from "./invoices.ts";
import { type DayRange, reportRange } from "./range.ts";
import type { HoursReportQuery, InvoicesReportQuery, TasksCompletedQuery } from "./schemas.ts";
import { tasksCompletedPerWeek } from "./tasks-completed.ts";

/**
 * A report as the API and the CSV export both give it: the same rows, the CSV's columns in the
 * order of the JSON fields, and what the rows cover.
 */
export type ReportTable = {
  meta: Record<string, string | number>;
  columns: string[];
  data: object[];
  /** The CSV download's name, without `.csv`. */
  filename: string;
};

const hoursColumns = {
  project: ["projectId", "projectCode", "projectName", "minutes", "billableMinutes", "hours"],
  person: ["userId", "name", "minutes", "billableMinutes", "hours"],
};

/** Hours by project (workspace.read) or by person (timesheets.approve, checked before anything else). */
export function hoursReport(ctx: ServiceContext, query: Omit<HoursReportQuery, "format">): ReportTable {
  if (query.groupBy === "person" && !ctx.permissions.has("timesheets.approve")) {
    throw new AppError("forbidden", "Hours per person need the timesheets.approve permission.");
  }
  const range = reportRange(query);
  const data = query.groupBy === "person" ? hoursByPerson(ctx, range) : hoursByProject(ctx, range);
  return {
    meta: { groupBy: query.groupBy, ...range },
    columns: hoursColumns[query.groupBy],
    data,
    filename: `hours-by-${query.groupBy}-${rangeName(range)}`,
  };
}

export function invoicesReport(ctx: ServiceContext, query: Omit<InvoicesReportQuery, "format">): ReportTable {
  const range = reportRange(query);
  const data = query.groupBy === "month" ? invoicesByMonth(ctx, range) : invoicesByStatus(ctx, range);
  return {
    meta: { groupBy: query.groupBy, ...range },
    columns: [query.groupBy, "currency", "count", "total"],
    data,
    filename: `invoices-by-${query.groupBy}-${rangeName(range)}`,
  };
}

export function tasksCompletedReport(ctx: ServiceContext, query: Omit<TasksCompletedQuery, "format">): ReportTable {
  const data = tasksCompletedPerWeek(ctx, query.weeks);
  return {
    meta: { weeks: query.weeks },
    columns: ["week", "weekStart", "count"],
    data,
    filename: `tasks-completed-${data[0]?.week ?? ""}-to-${data.at(-1)?.week ?? ""}`,
  };
}

function rangeName(range: DayRange): string {
  return `${range.from}-to-${range.to}`;
}
