import type { Context } from "hono";
import type { BackupSettingsFormProps } from "../../views/pages/settings/backups-form.tsx";
import type { BackupKeyProps } from "../../views/pages/settings/backups-key.tsx";
import type { BackupListingProps } from "../../views/pages/settings/backups-listing.tsx";
import type { BackupJobRow, BackupStatusProps } from "../../views/pages/settings/backups-status.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin } from "../http/guards.ts";
import { formatBytes } from "../tools/bytes.ts";
import type { BackupJob } from "./jobs.ts";
import { backupKeyStatus } from "./key.ts";
import type { BackupListing } from "./list.ts";
import { type BackupOverview, backupOverview } from "./overview.ts";
import { laggingAfterMs } from "./replica-progress.ts";
import { type BackupSettingsView, backupSettingsView } from "./settings-change.ts";

const replicaLabels: Record<string, string> = { s3: "S3 bucket", directory: "Directory" };
const stateLabels: Record<string, string> = {
  disabled: "Off",
  starting: "Starting",
  running: "Running",
  restarting: "Restarting",
  stopped: "Stopped",
  unavailable: "Not available",
};
const jobLabels = { snapshot: "Back up now", verify: "Test restore" };

/** "2026-12-08 10:42:07 UTC". */
function utc(at: string | number | Date): string {
  return `${new Date(at).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "4 s", "3 min", "2 h 5 min". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const ago = (at: string | null, now: number) =>
  at === null ? "Never" : `${utc(at)} (${formatAge(now - Date.parse(at))} ago)`;

function jobRow(job: BackupJob | null, now: number): BackupJobRow | null {
  if (!job) return null;
  const label = jobLabels[job.kind];
  if (job.state === "running")
    return { running: true, ok: true, text: `${label}: running for ${formatAge(now - Date.parse(job.startedAt))}…` };
  const when = job.finishedAt ? utc(job.finishedAt) : "";
  const outcome = job.state === "succeeded" ? "done" : "failed";
  return {
    running: false,
    ok: job.state === "succeeded",
    text: `${label}: ${outcome} ${when}. ${job.message ?? ""}`.trim(),
  };
}

/** The status panel's props: every time in UTC with its age, every lag in words. */
export function backupStatusProps(
  c: Context<AppEnv>,
  error: string | null = null,
  now = Date.now(),
): BackupStatusProps {
  const deps = c.var.deps;
  const overview = backupOverview(deps, now);
  const lagLimit = laggingAfterMs(deps.config.backup.syncIntervalMs);
  const verification = overview.lastVerification;
  return {
    enabled: overview.enabled,
    healthy: overview.healthy,
    message: overview.message,
    process: {
      state: stateLabels[overview.process.state] ?? overview.process.state,
      detail:
        overview.process.state === "running" && overview.process.startedAt
          ? `since ${utc(overview.process.startedAt)}, pid ${overview.process.pid}`
          : overview.process.reason,
      restarts: overview.process.restarts,
    },
    replicas: overview.replicas.map((replica) => ({
      label: replicaLabels[replica.name] ?? replica.name,
      position: replica.position ?? "None yet",
      lastReplicated: ago(replica.lastReplicatedAt, now),
      lag: replica.lagMs === 0 ? "Up to date" : formatAge(replica.lagMs),
      lagging: replica.lagMs > lagLimit,
      lastSnapshot: ago(replica.lastSnapshotAt, now),
      lastError: replica.lastError ? `${replica.lastError.message} (${utc(replica.lastError.at)})` : null,
    })),
    lastVerification: verification
      ? {
          ok: verification.ok,
          text: `${verification.ok ? "Passed" : "Failed"} ${utc(verification.at)}: ${verification.message}${
            verification.sizeBytes === null ? "" : ` (${formatBytes(verification.sizeBytes)} restored)`
          }`,
        }
      : null,
    files: filesText(overview.files),
    jobs: { snapshot: jobRow(overview.jobs.snapshot, now), verify: jobRow(overview.jobs.verify, now) },
    canAct: isInstanceAdmin(c),
    csrf: formCsrf(c),
    error,
  };
}

/** "12 files copied, 1 waiting" (copied: on every replica). */
function filesText(files: BackupOverview["files"]): string | null {
  if (!files) return null;
  return `${files.copied} ${files.copied === 1 ? "file" : "files"} copied, ${files.waiting} waiting`;
}

/** The key's panel: its public half and dates; the download form for the instance admin until it is used. */
export function backupKeyProps(
  c: Context<AppEnv>,
  errors: Record<string, string> = {},
  now = Date.now(),
): BackupKeyProps {
  const key = backupKeyStatus(c.var.deps.db);
  return {
    backupKey: key.exists
      ? {
          recipient: key.recipient,
          createdAt: ago(key.createdAt, now),
          downloadedAt: key.exportedAt ? ago(key.exportedAt, now) : null,
        }
      : null,
    canDownload: key.exists && key.exportedAt === null && isInstanceAdmin(c),
    errors,
    csrf: formCsrf(c),
  };
}

/** The snapshots part, once read (or why it could not be). */
export function backupListingProps(listing: BackupListing): BackupListingProps {
  return {
    state: "loaded",
    generations: listing.generations.map((generation) => ({
      replica: replicaLabels[generation.replica] ?? generation.replica,
      generation: generation.generation,
      start: utc(generation.start),
      end: utc(generation.end),
    })),
    snapshots: listing.snapshots.map((snapshot) => ({
      replica: replicaLabels[snapshot.replica] ?? snapshot.replica,
      generation: snapshot.generation,
      index: snapshot.index,
      size: formatBytes(snapshot.sizeBytes),
      createdAt: utc(snapshot.createdAt),
    })),
  };
}

/** The stored settings as the form's text values (never the secret). */
function formValuesOf(view: BackupSettingsView): Record<string, string> {
  return {
    enabled: view.enabled ? "on" : "",
    bucket: view.bucket ?? "",
    path: view.path,
    endpoint: view.endpoint ?? "",
    region: view.region,
    accessKeyId: view.accessKeyId ?? "",
    forcePathStyle: view.forcePathStyle ? "on" : "",
    directory: view.directory ?? "",
    retentionDays: String(view.retentionDays),
  };
}

/** The settings form: the stored values unless typed ones are given back (a refused form). */
export function backupFormProps(
  c: Context<AppEnv>,
  state: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string | null } = {},
): BackupSettingsFormProps {
  const view = backupSettingsView(c.var.deps.db);
  return {
    values: state.values ?? formValuesOf(view),
    errors: state.errors ?? {},
    secretKept: view.secretAccessKeySet,
    retentionFloorDays: view.retentionFloorDays,
    notice: state.notice ?? null,
    csrf: formCsrf(c),
  };
}
