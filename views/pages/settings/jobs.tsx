/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import type { JobRunRow } from "../../partials/jobs/run-history.tsx";
import { RunHistory } from "../../partials/jobs/run-history.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type { JobRunRow };

export type JobsPageProps = {
  switcher: OrganizationSwitcherProps;
  csrf: string | null;
  notice: string | null;
  error: string | null;
  /** The instance admin also sees the box's own jobs. */
  showsBox: boolean;
  jobs: { id: string; title: string; description: string; schedule: string; scope: string }[];
  quarantines: {
    jobId: string;
    title: string;
    scope: "box" | "organization";
    scopeLabel: string;
    since: string;
    reason: string;
  }[];
  open: JobRunRow[];
  recent: JobRunRow[];
};

/** /jobs: background work running or waiting, quarantined jobs, and the recent history. */
export function JobsPage(props: JobsPageProps) {
  return (
    <SettingsFrame current="/jobs" switcher={props.switcher}>
      <header>
        <h1>Background jobs</h1>
        <p>
          What Opsbox does on its own: reminders, clean-ups and checks on a schedule. A run that fails is tried again up
          to three times; a job that fails five runs in a row stops until an admin releases it here.
        </p>
      </header>
      <FormMessage notice={props.notice} error={props.error} />
      {props.quarantines.length > 0 ? (
        <section aria-labelledby="jobs-quarantined-heading" id="jobs-quarantined">
          <h2 id="jobs-quarantined-heading">Stopped after repeated failures</h2>
          <ul>
            {props.quarantines.map((item) => (
              <li>
                <strong>{item.title}</strong> ({item.scopeLabel}), stopped {item.since} UTC. Last error: {item.reason}
                <form method="post" action="/jobs/release" hx-post="/jobs/release" hx-target="#main">
                  <CsrfField token={props.csrf} />
                  <input type="hidden" name="jobId" value={item.jobId} />
                  <input type="hidden" name="scope" value={item.scope} />
                  <button type="submit">Release: let it run again</button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="jobs-open-heading">
        <h2 id="jobs-open-heading">Running and waiting</h2>
        {props.open.length === 0 ? (
          <p class="muted" id="jobs-open-empty">
            Nothing is running or waiting.
          </p>
        ) : (
          <table id="jobs-open">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Since</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {props.open.map((run) => (
                <tr id={`run-${run.id}`}>
                  <th scope="row">
                    {run.title} <small class="muted">{run.scope}</small>
                  </th>
                  <td>
                    {run.status}
                    {run.retryAt ? ` (attempt ${run.attempt + 1} at ${run.retryAt} UTC)` : ""}
                  </td>
                  <td>
                    <progress max={100} value={run.progress} aria-label={`${run.title}: ${run.progress}%`} />{" "}
                    {run.progressMessage ?? ""}
                  </td>
                  <td>{run.queuedAt}</td>
                  <td>
                    <form method="post" action="/jobs/cancel" hx-post="/jobs/cancel" hx-target="#main">
                      <CsrfField token={props.csrf} />
                      <input type="hidden" name="runId" value={run.id} />
                      <button type="submit" class="secondary">
                        Cancel
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="jobs-recent-heading">
        <h2 id="jobs-recent-heading">Recent runs</h2>
        {props.recent.length === 0 ? (
          <p class="muted">No finished runs yet.</p>
        ) : (
          <RunHistory id="jobs-recent" runs={props.recent} />
        )}
      </section>
      {props.jobs.length === 0 ? null : (
        <section aria-labelledby="jobs-list-heading">
          <h2 id="jobs-list-heading">The jobs</h2>
          <table id="jobs-list">
            <tbody>
              {props.jobs.map((job) => (
                <tr>
                  <th scope="row">
                    {job.title} <small class="muted">{job.id}</small>
                  </th>
                  <td>{job.description}</td>
                  <td>{job.schedule}</td>
                  <td>{job.scope}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </SettingsFrame>
  );
}
