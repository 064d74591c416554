/** @jsxImportSource hono/jsx */

export type JobRunRow = {
  id: string;
  title: string;
  /** "This organisation" or "The whole box". */
  scope: string;
  status: string;
  trigger: string;
  attempt: number;
  /** When it was queued, UTC minutes. */
  queuedAt: string;
  progress: number;
  progressMessage: string | null;
  retryAt: string | null;
  duration: string | null;
  error: string | null;
  result: string | null;
  links: { label: string; href: string }[];
  log: string[];
};

/** Finished runs: status, when, how long, the result or error with its links, and the log (/jobs and /agents). */
export function RunHistory(props: { id: string; runs: JobRunRow[] }) {
  return (
    <table id={props.id}>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Queued</th>
          <th scope="col">Took</th>
          <th scope="col">Result or error</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => (
          <tr id={`run-${run.id}`}>
            <th scope="row">
              {run.title} <small class="muted">{run.scope}</small>
            </th>
            <td>
              {run.status.replace("_", " ")}{" "}
              <small class="muted">
                ({run.trigger}, attempt {run.attempt})
              </small>
            </td>
            <td>{run.queuedAt}</td>
            <td>{run.duration ?? ""}</td>
            <td>
              {run.error ?? run.result ?? ""}
              {run.links.map((link) => (
                <>
                  {" "}
                  <a href={link.href}>{link.label}</a>
                </>
              ))}
              {run.log.length > 0 ? (
                <details>
                  <summary>Log ({run.log.length} lines)</summary>
                  <pre>{run.log.join("\n")}</pre>
                </details>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
