import type { ReportsPageProps } from "../../../views/pages/work/reports/reports-page.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { hoursByPerson, hoursByProject } from "./hours.ts";
import { invoicesByMonth, invoicesByStatus } from "./invoices.ts";
import { type DayRange, monthsOf } from "./range.ts";
import { tasksCompletedPerWeek } from "./tasks-completed.ts";

/** The reports page for a range and a number of weeks: each report this person may see. */
export function reportsPageProps(ctx: ServiceContext, range: DayRange, weeks: number): ReportsPageProps {
  const may = (permission: Parameters<typeof ctx.permissions.has>[0]) => ctx.permissions.has(permission);
  return {
    filters: { ...range, weeks: String(weeks) },
    errors: {},
    range,
    weeks,
    months: monthsOf(range),
    hoursByProject: hoursByProject(ctx, range),
    hoursByPerson: may("timesheets.approve") ? hoursByPerson(ctx, range) : undefined,
    invoicesByStatus: may("invoices.manage") ? invoicesByStatus(ctx, range) : undefined,
    invoicesByMonth: may("invoices.manage") ? invoicesByMonth(ctx, range) : undefined,
    tasksCompleted: tasksCompletedPerWeek(ctx, weeks),
    canSchedule: may("reports.manage"),
  };
}
