/** @jsxImportSource hono/jsx */
import type { HoursByPersonRow, HoursByProjectRow } from "../../../../server/work/reports/hours.ts";
import type { InvoicesByMonthRow, InvoicesByStatusRow } from "../../../../server/work/reports/invoices.ts";
import type { DayRange } from "../../../../server/work/reports/range.ts";
import type { TasksCompletedRow } from "../../../../server/work/reports/tasks-completed.ts";
import { HoursByPersonReport, HoursByProjectReport } from "../../../partials/work/reports/hours-report.tsx";
import { InvoicesByMonthReport, InvoicesByStatusReport } from "../../../partials/work/reports/invoices-report.tsx";
import { TasksCompletedReport } from "../../../partials/work/reports/tasks-report.tsx";

export const weekChoices = [4, 8, 12, 26, 52] as const;

export type ReportsPageProps = {
  /** What the form shows: the effective range, or what was typed when it was refused. */
  filters: { from: string; to: string; weeks: string };
  errors: Partial<Record<"from" | "to" | "weeks", string>>;
  /** Null when the form was refused: no report is drawn then. */
  range: DayRange | null;
  weeks: number;
  months: string[];
  /** Each report is absent when the person may not see it. */
  hoursByProject?: HoursByProjectRow[];
  hoursByPerson?: HoursByPersonRow[];
  invoicesByStatus?: InvoicesByStatusRow[];
  invoicesByMonth?: InvoicesByMonthRow[];
  tasksCompleted?: TasksCompletedRow[];
  /** Whether the person may schedule reports (reports.manage): each report offers "Schedule this report". */
  canSchedule?: boolean;
};

/** /reports: a range form, then each report the person may see as a chart with its figures and CSV. */
export function ReportsPage(props: ReportsPageProps) {
  return (
    <article class="reports-page" id="reports-page">
      <header>
        <h1>Reports</h1>
        <p>Days are UTC days; both ends of the range count. Every chart's figures are under it and as CSV.</p>
        {props.canSchedule ? (
          <p>
            <a href="/reports/schedules">Scheduled reports</a>: any of these e-mailed as CSV and PDF each week or month.
          </p>
        ) : null}
      </header>
      <form
        class="report-filters"
        method="get"
        action="/reports"
        hx-get="/reports"
        hx-target="#reports-page"
        hx-select="#reports-page"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <div class="grid">
          <DayInput name="from" label="From" value={props.filters.from} error={props.errors.from} />
          <DayInput name="to" label="To" value={props.filters.to} error={props.errors.to} />
          <label>
            Tasks: last
            <select name="weeks" aria-invalid={props.errors.weeks ? "true" : undefined}>
              {weekChoices.map((weeks) => (
                <option value={String(weeks)} selected={props.filters.weeks === String(weeks)}>
                  {weeks} weeks
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit">Show</button>
      </form>
      <Reports {...props} />
    </article>
  );
}

function Reports(props: ReportsPageProps) {
  const range = props.range;
  if (!range) {
    return (
      <div id="reports">
        <p class="empty-state">Fix the range above to see the reports.</p>
      </div>
    );
  }
  const q = (extra: Record<string, string>) => `?${new URLSearchParams({ ...extra, from: range.from, to: range.to })}`;
  return (
    <div id="reports" class="reports">
      {props.hoursByProject ? (
        <div>
          <HoursByProjectReport
            rows={props.hoursByProject}
            range={range}
            csvHref={`/reports/hours.csv${q({ groupBy: "project" })}`}
          />
          <ScheduleLink show={props.canSchedule} report="hours_by_project" />
        </div>
      ) : null}
      {props.hoursByPerson ? (
        <div>
          <HoursByPersonReport
            rows={props.hoursByPerson}
            range={range}
            csvHref={`/reports/hours.csv${q({ groupBy: "person" })}`}
          />
          <ScheduleLink show={props.canSchedule} report="hours_by_person" />
        </div>
      ) : null}
      {props.invoicesByStatus ? (
        <div>
          <InvoicesByStatusReport
            rows={props.invoicesByStatus}
            range={range}
            csvHref={`/reports/invoices.csv${q({ groupBy: "status" })}`}
          />
          <ScheduleLink show={props.canSchedule} report="invoices_by_status" />
        </div>
      ) : null}
      {props.invoicesByMonth ? (
        <div>
          <InvoicesByMonthReport
            rows={props.invoicesByMonth}
            months={props.months}
            range={range}
            csvHref={`/reports/invoices.csv${q({ groupBy: "month" })}`}
          />
          <ScheduleLink show={props.canSchedule} report="invoices_by_month" />
        </div>
      ) : null}
      {props.tasksCompleted ? (
        <div>
          <TasksCompletedReport
            rows={props.tasksCompleted}
            csvHref={`/reports/tasks-completed.csv?weeks=${props.weeks}`}
          />
          <ScheduleLink show={props.canSchedule} report="tasks_completed" />
        </div>
      ) : null}
    </div>
  );
}

function ScheduleLink(props: { show: boolean | undefined; report: string }) {
  if (!props.show) return null;
  return (
    <p class="report-schedule">
      <a href={`/reports/schedules/new?report=${props.report}`}>Schedule this report</a>
    </p>
  );
}

function DayInput(props: { name: string; label: string; value: string; error: string | undefined }) {
  return (
    <label>
      {props.label}
      <input
        type="date"
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `report-${props.name}-error` : undefined}
      />
      {props.error ? <small id={`report-${props.name}-error`}>{props.error}</small> : null}
    </label>
  );
}
