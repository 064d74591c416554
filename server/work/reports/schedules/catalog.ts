import type { ReportPeriod, ScheduledReport } from "../../../../models/report-schedules.ts";
import type { Permission } from "../../../auth/roles/permissions.ts";
import type { ServiceContext } from "../../../auth/sessions/context.ts";
import { addDays, weekStartOf } from "../../../tools/days.ts";
import type { DayRange } from "../range.ts";
import { hoursReport, invoicesReport, type ReportTable, tasksCompletedReport } from "../tables.ts";

/** What a schedule asks of a report: the days it covers (null for tasks completed) and the weeks it counts. */
export type ReportAsk = { range: DayRange | null; weeks: number };

/**
 * One report of the Reports page as a schedule sends it: what it is called, the permission the
 * Reports page asks of the person who reads it, how its rows are read, and where the page and
 * the CSV download are.
 */
export type ReportKind = {
  label: string;
  permission: Permission;
  usesPeriod: boolean;
  table: (ctx: ServiceContext, ask: ReportAsk) => ReportTable;
  /** The Reports page's CSV link for the same rows (path and query). */
};

const rangeOf = (ask: ReportAsk): DayRange => ask.range ?? { from: "", to: "" };
const query = (values: Record<string, string>) => `?${new URLSearchParams(values)}`;

export const reportKinds: Record<ScheduledReport, ReportKind> = {
  hours_by_project: {
    label: "Hours by project",
    permission: "workspace.read",
    usesPeriod: true,
    table: (ctx, ask) => hoursReport(ctx, { groupBy: "project", ...rangeOf(ask) }),
  },
  hours_by_person: {
    label: "Hours by person",
    permission: "timesheets.approve",
    usesPeriod: true,
    table: (ctx, ask) => hoursReport(ctx, { groupBy: "person", ...rangeOf(ask) }),
  },
  invoices_by_status: {
    label: "Invoices by status",
    permission: "invoices.manage",
    usesPeriod: true,
    table: (ctx, ask) => invoicesReport(ctx, { groupBy: "status", ...rangeOf(ask) }),
  },
  invoices_by_month: {
    label: "Invoices by month",
    permission: "invoices.manage",
    usesPeriod: true,
    table: (ctx, ask) => invoicesReport(ctx, { groupBy: "month", ...rangeOf(ask) }),
  },
  tasks_completed: {
    label: "Tasks completed per week",
    permission: "workspace.read",
    usesPeriod: false,
    table: (ctx, ask) => tasksCompletedReport(ctx, { weeks: ask.weeks }),
  },
};

export const periodLabels: Record<ReportPeriod, string> = {
  last_week: "Last week",
  last_month: "Last month",
  month_to_date: "Month to date",
};

/** The days a period covers when the report is sent on the local day `day`: last ISO week, last month, or this month so far. */
export function periodRange(period: ReportPeriod, day: string): DayRange {
  if (period === "last_week") {
    const monday = weekStartOf(day);
    return { from: addDays(monday, -7), to: addDays(monday, -1) };
  }
  const firstOfMonth = `${day.slice(0, 7)}-01`;
  if (period === "month_to_date") return { from: firstOfMonth, to: day };
  const lastOfPrevious = addDays(firstOfMonth, -1);
  return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
}

/** The Reports page showing the same range (and weeks), for the e-mail's link. */
export function reportsPagePath(ask: ReportAsk): string {
  const values: Record<string, string> = ask.range ? { ...ask.range } : {};
  values.weeks = String(ask.weeks);
  return `/reports${query(values)}`;
}
