/** @jsxImportSource hono/jsx */

import { formatHours, formatMinutes } from "../../../../server/tools/durations.ts";
import type { TeamWeekRow } from "../../../../server/work/time/team-week.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { weekRangeLabel } from "../../../partials/work/time/format.ts";
import { StatusBadge, TimeFlash } from "../../../partials/work/time/parts.tsx";

export type TeamPageProps = {
  weekStart: string;
  weekEnd: string;
  weekLabel: string;
  rows: TeamWeekRow[];
  /** Managers and admins see everyone; team leads their teams. */
  everyone: boolean;
  links: { previous: string; next: string; current: string };
  flash: { kind: "notice" | "error"; text: string } | null;
  csrf: string | null;
};

/** /time/team: the week of the people the caller approves, with their status and a reopen button. */
export function TeamPage(props: TeamPageProps) {
  const total = props.rows.reduce((sum, row) => sum + row.minutes, 0);
  return (
    <div class="time-page">
      <header class="time-header">
        <div>
          <h1 class="time-title">Team time</h1>
          <p class="muted">
            {props.weekLabel} · {weekRangeLabel(props.weekStart, props.weekEnd)} · {formatMinutes(total)} in all
          </p>
        </div>
      </header>
      <nav class="time-week-nav" aria-label="Weeks">
        <a href={props.links.previous}>← Previous week</a>
        <a href={props.links.current}>This week</a>
        <a href={props.links.next}>Next week →</a>
        <a href={`/time?week=${props.weekStart}`}>My week</a>
        <a href="/time/totals">Totals</a>
      </nav>
      <TimeFlash flash={props.flash} />
      {props.rows.length === 0 ? (
        <p class="empty-state">
          {props.everyone
            ? "No one works here yet: invite people under Settings → Users."
            : "You lead no team with members yet. A manager names you lead of a team under Teams, then its people show here."}
        </p>
      ) : (
        <div class="overflow-auto">
          <table class="time-team">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Time</th>
                <th scope="col">Billable</th>
                <th scope="col">Timesheet</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <TeamRow row={row} weekStart={props.weekStart} csrf={props.csrf} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function TeamRow(props: { row: TeamWeekRow; weekStart: string; csrf: string | null }) {
  const { row } = props;
  const reopenUrl = row.timesheetId ? `/time/timesheets/${row.timesheetId}/reopen` : null;
  return (
    <tr id={`person-${row.userId}`} data-status={row.status}>
      <th scope="row">
        <a href={`/time?week=${props.weekStart}&user=${row.userId}`}>{row.name}</a>
      </th>
      <td title={formatMinutes(row.minutes)}>{row.minutes ? formatHours(row.minutes) : "–"}</td>
      <td>{row.billableMinutes ? formatHours(row.billableMinutes) : "–"}</td>
      <td>
        <div class="time-team-status">
          <StatusBadge status={row.status} short />
          {row.approvalRequestId ? <a href={`/approvals/${row.approvalRequestId}`}>Approval request</a> : null}
        </div>
      </td>
      <td>
        {row.canReopen && reopenUrl ? (
          <form
            class="time-reopen"
            method="post"
            action={reopenUrl}
            hx-post={reopenUrl}
            hx-target="#main"
            hx-confirm={`Reopen the week of ${row.name}? They can change its entries again and submit it anew.`}
          >
            <CsrfField token={props.csrf} />
            <input type="hidden" name="week" value={props.weekStart} />
            <button type="submit" class="time-button secondary outline compact">
              Reopen
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}
