/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type BackupReplicaRow = {
  label: string;
  position: string;
  lastReplicated: string;
  lag: string;
  lagging: boolean;
  lastSnapshot: string;
  lastError: string | null;
};

export type BackupJobRow = { running: boolean; ok: boolean; text: string };

export type BackupStatusProps = {
  enabled: boolean;
  healthy: boolean;
  message: string | null;
  /** The Litestream child: its state in words, since when, and how often it was restarted. */
  process: { state: string; detail: string | null; restarts: number };
  replicas: BackupReplicaRow[];
  lastVerification: { ok: boolean; text: string } | null;
  /** The latest "back up now" and "test restore" started here or through the API. */
  jobs: { snapshot: BackupJobRow | null; verify: BackupJobRow | null };
  /** The uploaded files' copies, "12 files copied, 1 waiting"; null while backups are off. */
  files: string | null;
  /** The instance admin: the only one who starts snapshots and test restores. */
  canAct: boolean;
  csrf: string | null;
  /** Why a button was refused (backups off, a process without a supervisor). */
  error: string | null;
};

function JobButton(props: { action: "snapshot" | "verify"; label: string; job: BackupJobRow | null }) {
  const running = props.job?.running ?? false;
  return (
    <button
      type="submit"
      formaction={`/settings/backups/${props.action}`}
      hx-post={`/settings/backups/${props.action}`}
      hx-target="#backup-status"
      hx-swap="outerHTML"
      disabled={running ? true : undefined}
      aria-busy={running ? "true" : undefined}
      class={props.action === "verify" ? "secondary" : undefined}
    >
      {running ? `${props.label}: running…` : props.label}
    </button>
  );
}

function JobLine(props: { id: string; job: BackupJobRow | null }) {
  if (!props.job) return null;
  const state = props.job.running ? "job-running" : props.job.ok ? "job-ok" : "job-failed";
  return (
    <p id={props.id} class={`backup-job ${state}`} role="status">
      {props.job.text}
    </p>
  );
}

/**
 * The backups now: the Litestream process, each replica and its lag, the last test restore and the
 * two buttons. It refreshes itself, every 2 s while a job runs and every 10 s otherwise.
 */
export function BackupStatusPanel(props: BackupStatusProps) {
  const busy = Boolean(props.jobs.snapshot?.running || props.jobs.verify?.running);
  return (
    <section
      id="backup-status"
      aria-labelledby="backup-status-heading"
      hx-get="/settings/backups/status"
      hx-trigger={busy ? "every 2s" : "every 10s"}
      hx-swap="outerHTML"
    >
      <h2 id="backup-status-heading">Status</h2>
      <FormMessage error={props.error} />
      {props.enabled ? (
        <p id="backup-health" class={props.healthy ? "backup-ok" : "backup-failing"}>
          {props.healthy ? "Backups are running and every replica is up to date." : props.message}
        </p>
      ) : (
        <p id="backup-health" class="muted">
          Backups are off. Set up a bucket or a directory below to start replicating.
        </p>
      )}
      <dl class="backup-facts">
        <dt>Litestream</dt>
        <dd id="backup-process">
          {props.process.state}
          {props.process.detail ? ` (${props.process.detail})` : ""}
          {props.process.restarts > 0 ? `, restarted ${props.process.restarts} time(s)` : ""}
        </dd>
        <dt>Last test restore</dt>
        <dd id="backup-last-verification">
          {props.lastVerification ? props.lastVerification.text : "None yet: test a restore to know that it works."}
        </dd>
        {props.files ? (
          <>
            <dt>Uploaded files</dt>
            <dd id="backup-files">{props.files}</dd>
          </>
        ) : null}
      </dl>
      {props.replicas.length > 0 ? (
        <table id="backup-replicas">
          <thead>
            <tr>
              <th scope="col">Replica</th>
              <th scope="col">Position</th>
              <th scope="col">Last replicated</th>
              <th scope="col">Lag</th>
              <th scope="col">Last snapshot</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {props.replicas.map((replica) => (
              <tr>
                <th scope="row">{replica.label}</th>
                <td>
                  <code>{replica.position}</code>
                </td>
                <td>{replica.lastReplicated}</td>
                <td class={replica.lagging ? "backup-failing" : undefined}>{replica.lag}</td>
                <td>{replica.lastSnapshot}</td>
                <td>{replica.lastError ?? "None"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <JobLine id="backup-job-snapshot" job={props.jobs.snapshot} />
      <JobLine id="backup-job-verify" job={props.jobs.verify} />
      {props.canAct && props.enabled ? (
        <form id="backup-actions" method="post">
          <CsrfField token={props.csrf} />
          <div class="grid">
            <JobButton action="snapshot" label="Back up now" job={props.jobs.snapshot} />
            <JobButton action="verify" label="Test restore" job={props.jobs.verify} />
          </div>
        </form>
      ) : null}
    </section>
  );
}
