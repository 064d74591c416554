/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";

export type ScheduleRow = {
  id: string;
  name: string;
  report: string;
  /** "Last week", or "Last 12 weeks" for tasks completed. */
  covers: string;
  /** "every Monday at 08:00". */
  cadence: string;
  /** "Mon 14 Dec 2026, 08:00 (in 3 days)", or "switched off". */
  nextRun: string;
  recipients: string;
  formats: string;
  sendRequested: boolean;
  lastSent: string | null;
  lastResult: string | null;
};

export type SchedulesPageProps = {
  rows: ScheduleRow[];
  timeZone: string;
  notice: string | null;
  csrf: string | null;
};

/** /reports/schedules: the organisation's scheduled reports, with their next run in the organisation's zone. */
export function SchedulesPage(props: SchedulesPageProps) {
  return (
    <article class="work-page" id="report-schedules">
      <header class="work-header">
        <div>
          <p class="work-breadcrumbs">
            <a href="/reports">Reports</a>
          </p>
          <h1>Scheduled reports</h1>
        </div>
        <div class="work-actions">
          <a class="link-button" href="/reports/schedules/new">
            Schedule a report
          </a>
        </div>
      </header>
      <p>
        Each report is e-mailed as CSV and/or PDF at its local hour in the organisation's time zone (
        <strong>{props.timeZone}</strong>). Each person gets only what their own role shows on the Reports page; the
        sending is a background job on <a href="/jobs">Jobs</a>.
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="empty-state">
          No scheduled reports yet. <a href="/reports/schedules/new">Schedule the first one</a>.
        </p>
      ) : (
        <div class="overflow-auto">
          <table class="work-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Report</th>
                <th scope="col">When</th>
                <th scope="col">Next</th>
                <th scope="col">To</th>
                <th scope="col">Last sent</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr id={`schedule-${row.id}`}>
                  <td>
                    <a href={`/reports/schedules/${row.id}/edit`}>{row.name}</a>
                  </td>
                  <td>
                    {row.report}
                    <br />
                    <small class="muted">
                      {row.covers} · {row.formats}
                    </small>
                  </td>
                  <td>{row.cadence}</td>
                  <td>
                    {row.nextRun}
                    {row.sendRequested ? <small class="muted"> · sending now…</small> : null}
                  </td>
                  <td>{row.recipients}</td>
                  <td>
                    {row.lastSent ?? "Never"}
                    {row.lastResult ? (
                      <>
                        <br />
                        <small class="muted">{row.lastResult}</small>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <form method="post" action={`/reports/schedules/${row.id}/send`}>
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="secondary">
                        Send now
                      </button>
                    </form>
                    <form
                      method="post"
                      action={`/reports/schedules/${row.id}/delete`}
                      hx-post={`/reports/schedules/${row.id}/delete`}
                      hx-target="#main"
                      hx-confirm={`Delete the schedule "${row.name}"? Nobody gets it any more.`}
                    >
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="secondary outline">
                        Delete
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
