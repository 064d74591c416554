/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";
import { dayLabel, weekRangeLabel } from "../../../partials/work/time/format.ts";
import { type Choice, StatusBadge, TimeFlash } from "../../../partials/work/time/parts.tsx";

export type DraftRow = {
  key: string;
  date: string;
  label: string;
  source: "tasks" | "github";
  /** Commits: the person chooses the project. */
  needsProject: boolean;
  checked: boolean;
  minutes: string;
  note: string;
  project: string;
  evidence: string[];
  errors: { minutes?: string; note?: string; projectId?: string; key?: string };
};

export type DraftPageProps = {
  weekStart: string;
  weekEnd: string;
  status: "open" | "submitted" | "approved" | "rejected";
  locked: boolean;
  github: { status: "none" | "connected" | "reconnect" | "unavailable"; login: string | null };
  rows: DraftRow[];
  /** Projects a commit's time can go to (value = project id). */
  projects: Choice[];
  links: { week: string; previous: string; next: string; github: string };
  flash: { kind: "notice" | "error"; text: string } | null;
  csrf: string | null;
};

function GithubLine(props: DraftPageProps["github"] & { href: string }) {
  if (props.status === "none") {
    return (
      <p class="muted">
        <a href={props.href}>Connect GitHub</a> to have your commits suggested too.
      </p>
    );
  }
  if (props.status === "reconnect") {
    return (
      <p class="form-message form-message-error" role="alert">
        GitHub refused your token, so commits are left out. <a href={props.href}>Reconnect GitHub</a>.
      </p>
    );
  }
  if (props.status === "unavailable") {
    return <p class="muted">GitHub could not be reached just now: commits are left out of this draft.</p>;
  }
  return <p class="muted">Commits of GitHub user {props.login} are included.</p>;
}

function Row(props: { row: DraftRow; projects: Choice[]; disabled: boolean }) {
  const { row } = props;
  const id = (part: string) => `draft-${part}-${row.key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return (
    <tr data-key={row.key}>
      <td>
        <input
          type="checkbox"
          name="pick"
          value={row.key}
          id={id("pick")}
          checked={row.checked}
          disabled={props.disabled}
          aria-label={`Choose ${row.label} on ${dayLabel(row.date)}`}
        />
      </td>
      <td>{dayLabel(row.date)}</td>
      <td>
        <label for={id("pick")}>
          <strong>{row.label}</strong>
        </label>
        <ul class="draft-evidence">
          {row.evidence.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
        {row.errors.key ? <small class="field-error">{row.errors.key}</small> : null}
        {row.needsProject ? (
          <label>
            Project
            <select name={`project:${row.key}`} aria-invalid={row.errors.projectId ? "true" : undefined}>
              <option value="">Choose a project</option>
              {props.projects.map((choice) => (
                <option value={choice.value} selected={choice.value === row.project}>
                  {choice.label}
                </option>
              ))}
            </select>
            {row.errors.projectId ? <small>{row.errors.projectId}</small> : null}
          </label>
        ) : row.errors.projectId ? (
          <small>{row.errors.projectId}</small>
        ) : null}
      </td>
      <td>
        <input
          type="text"
          name={`note:${row.key}`}
          value={row.note}
          aria-label="Note"
          maxlength={2000}
          aria-invalid={row.errors.note ? "true" : undefined}
        />
        {row.errors.note ? <small>{row.errors.note}</small> : null}
      </td>
      <td>
        <input
          type="number"
          name={`minutes:${row.key}`}
          value={row.minutes}
          min={1}
          max={1440}
          step={5}
          aria-label="Minutes"
          class="draft-minutes"
          aria-invalid={row.errors.minutes ? "true" : undefined}
        />
        {row.errors.minutes ? <small>{row.errors.minutes}</small> : null}
      </td>
    </tr>
  );
}

/** /time/draft: the week's suggested entries with their evidence; nothing is logged until the person adds them. */
export function DraftPage(props: DraftPageProps) {
  return (
    <div class="time-page">
      <header class="time-header">
        <div>
          <h1 class="time-title">Timesheet draft</h1>
          <p class="muted">
            {weekRangeLabel(props.weekStart, props.weekEnd)} · suggested from the tasks you moved, closed or commented
            on and your commits. Nothing is logged until you add it.
          </p>
        </div>
        <StatusBadge status={props.status} />
      </header>
      <nav class="time-week-nav" aria-label="Weeks">
        <a href={props.links.previous}>← Previous week</a>
        <a href={props.links.week}>Back to my week</a>
        <a href={props.links.next}>Next week →</a>
      </nav>
      <TimeFlash flash={props.flash} />
      <GithubLine {...props.github} href={props.links.github} />
      {props.locked ? (
        <p class="time-lock" role="status">
          This week is {props.status} and locked: suggestions cannot be added until an approver reopens it.
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="empty-state">No suggestions for this week: everything the box saw is logged, or you discarded it.</p>
      ) : (
        <form id="draft-form" method="post" action="/time/draft/accept" hx-target="#main" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="week" value={props.weekStart} />
          <div class="overflow-auto">
            <table class="time-entries draft-suggestions">
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">Choose</span>
                  </th>
                  <th scope="col">Day</th>
                  <th scope="col">Work and evidence</th>
                  <th scope="col">Note</th>
                  <th scope="col">Minutes</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((row) => (
                  <Row row={row} projects={props.projects} disabled={false} />
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="submit"
            class="time-button"
            formaction="/time/draft/accept"
            hx-post="/time/draft/accept"
            hx-target="#main"
            disabled={props.locked}
          >
            Add selected
          </button>{" "}
          <button
            type="submit"
            class="secondary"
            formaction="/time/draft/discard"
            hx-post="/time/draft/discard"
            hx-target="#main"
          >
            Discard selected
          </button>
        </form>
      )}
    </div>
  );
}
