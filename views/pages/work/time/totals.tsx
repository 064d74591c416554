/** @jsxImportSource hono/jsx */

import { formatHours, formatMinutes } from "../../../../server/tools/durations.ts";
import type { Totals } from "../../../../server/work/time/totals.ts";

export type TotalsPageProps = {
  from: string;
  to: string;
  byProject: Totals;
  /** Only for people who approve timesheets. */
  byPerson: Totals | null;
  csvHref: string;
  errors: Record<string, string>;
};

/** /time/totals: hours per project (and per person, for approvers) over a date range, with a CSV export. */
export function TotalsPage(props: TotalsPageProps) {
  return (
    <div class="time-page">
      <header class="time-header">
        <div>
          <h1 class="time-title">Time totals</h1>
          <p class="muted">{props.byPerson ? "Everyone whose time you approve, and you." : "Your own time."}</p>
        </div>
      </header>
      <nav class="time-week-nav" aria-label="Time">
        <a href="/time">My week</a>
        {props.byPerson ? <a href="/time/team">Team</a> : null}
      </nav>
      <form method="get" action="/time/totals" class="time-range">
        <label>
          From
          <input type="date" name="from" value={props.from} aria-invalid={props.errors.from ? "true" : undefined} />
          {props.errors.from ? <small>{props.errors.from}</small> : null}
        </label>
        <label>
          To
          <input type="date" name="to" value={props.to} aria-invalid={props.errors.to ? "true" : undefined} />
          {props.errors.to ? <small>{props.errors.to}</small> : null}
        </label>
        <button type="submit" class="time-button">
          Show
        </button>
        <a href={props.csvHref} class="time-csv-link" download>
          Download CSV
        </a>
      </form>
      <TotalsTable title="By project" heading="Project" totals={props.byProject} />
      {props.byPerson ? <TotalsTable title="By person" heading="Person" totals={props.byPerson} /> : null}
    </div>
  );
}

function TotalsTable(props: { title: string; heading: string; totals: Totals }) {
  const id = `totals-${props.heading.toLowerCase()}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.totals.data.length === 0 ? (
        <p class="empty-state">No time logged in these days. Pick other dates, or log time on the Time page.</p>
      ) : (
        <div class="overflow-auto">
          <table class="time-totals">
            <thead>
              <tr>
                <th scope="col">{props.heading}</th>
                <th scope="col">Time</th>
                <th scope="col">Billable</th>
              </tr>
            </thead>
            <tbody>
              {props.totals.data.map((row) => (
                <tr>
                  <th scope="row">{row.name}</th>
                  <td title={formatMinutes(row.minutes)}>{formatHours(row.minutes)}</td>
                  <td title={formatMinutes(row.billableMinutes)}>{formatHours(row.billableMinutes)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td>{formatHours(props.totals.total.minutes)}</td>
                <td>{formatHours(props.totals.total.billableMinutes)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
