import { z } from "zod";
import { recordAudit } from "../audit/service.ts";
import type { AppDeps } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import type { BackupActor } from "./actor.ts";
import { backupDir } from "./litestream-config.ts";
import type { LitestreamJob } from "./litestream-run.ts";
import { readBackupTarget } from "./settings.ts";
import { verifyBackups } from "./verify.ts";

export const backupJobKinds = ["snapshot", "verify"] as const;
export type BackupJobKind = (typeof backupJobKinds)[number];

export const backupJobSchema = z.object({
  kind: z.enum(backupJobKinds),
  state: z.enum(["running", "succeeded", "failed"]),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  message: z.string().nullable(),
});
export type BackupJob = z.infer<typeof backupJobSchema>;

type JobDeps = Pick<AppDeps, "config" | "db" | "keyring" | "log" | "backup">;

/** Each box's latest job of each kind (kept in memory: a restart forgets a finished job, not its result). */
const boards = new WeakMap<object, Map<BackupJobKind, BackupJob>>();

function boardOf(deps: JobDeps): Map<BackupJobKind, BackupJob> {
  let board = boards.get(deps.db);
  if (!board) {
    board = new Map();
    boards.set(deps.db, board);
  }
  return board;
}

/** The latest "back up now" and "test restore" of this box, running or finished; null before the first. */
export function backupJobs(deps: JobDeps): Record<BackupJobKind, BackupJob | null> {
  const board = boardOf(deps);
  return { snapshot: board.get("snapshot") ?? null, verify: board.get("verify") ?? null };
}

/** What `litestream` commands of the server (list, verify) run against; null while backups are off. */
export function litestreamJobOf(deps: Pick<JobDeps, "config" | "db" | "keyring">): LitestreamJob | null {
  const target = readBackupTarget(deps.db, deps.keyring);
  if (!target) return null;
  const { config } = deps;
  return { binary: config.backup.litestreamBin, dataDir: config.dataDir, workDir: backupDir(config.dataDir), target };
}

/** The job's target, or the refusal: 409 while backups are off. */
export function litestreamJobOrConflict(deps: Pick<JobDeps, "config" | "db" | "keyring">): LitestreamJob {
  const job = litestreamJobOf(deps);
  if (!job) throw new AppError("conflict", "Backups are not set up on this box.");
  return job;
}

/**
 * Starts a snapshot on every replica ("back up now") or a full test restore in the background and
 * answers at once. While one of that kind runs, the running one is answered and none is started.
 */
export function startBackupJob(
  deps: JobDeps,
  kind: BackupJobKind,
  actor: BackupActor,
): { job: BackupJob; started: boolean } {
  const board = boardOf(deps);
  const running = board.get(kind);
  if (running?.state === "running") return { job: running, started: false };
  const litestream = litestreamJobOrConflict(deps);
  const supervisor = deps.backup;
  if (kind === "snapshot" && !supervisor)
    throw new AppError("unavailable", "Backups are not supervised by this process.");
  const job: BackupJob = {
    kind,
    state: "running",
    startedAt: new Date().toISOString(),
    finishedAt: null,
    message: null,
  };
  board.set(kind, job);
  recordAudit(deps.db, {
    orgId: null,
    action: kind === "snapshot" ? "backups.snapshot_requested" : "backups.verify_requested",
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    targetType: "instance",
    meta: actor.meta,
  });
  const work =
    kind === "snapshot" && supervisor
      ? supervisor.snapshotNow().then(() => ({ ok: true, message: "A snapshot is on every replica." }))
      : verifyBackups(deps.db, litestream);
  work
    .then(
      (result) => finish(board, job, result.ok, result.message),
      (error: unknown) => finish(board, job, false, error instanceof Error ? error.message : String(error)),
    )
    .catch((error) => deps.log.error({ err: error }, "backups: a job could not record its end"));
  return { job, started: true };
}

function finish(board: Map<BackupJobKind, BackupJob>, job: BackupJob, ok: boolean, message: string): void {
  // A new object, so that a job handed out earlier keeps reading as it was.
  board.set(job.kind, {
    ...job,
    state: ok ? "succeeded" : "failed",
    finishedAt: new Date().toISOString(),
    message,
  });
}
