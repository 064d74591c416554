import { existsSync, statSync } from "node:fs";
import type { Subprocess } from "bun";
import type { BackupConfig } from "../config.ts";
import { type Db, databasePath } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Keyring } from "../tools/secrets.ts";
import { ensureKeyWhenEnabled, foldWalWhenKeyChanged } from "./encryption.ts";
import { litestreamBinary } from "./litestream-binary.ts";
import { backupDir, litestreamPlan, REPLICA_NAMES, writeLitestreamConfig } from "./litestream-config.ts";
import { eventOf, forEachLine, parseLogLine } from "./litestream-log.ts";
import { stopOrphanedChild } from "./orphaned-child.ts";
import { applyEvent, newProgress, observeWal, type ReplicaProgress } from "./replica-progress.ts";
import { type BackupTarget, readBackupTarget } from "./settings.ts";
import { type ChildState, type SupervisorStatus, writeStatusFile } from "./status-file.ts";

export type SupervisorDeps = {
  config: { dataDir: string; backup: BackupConfig };
  db: Db;
  keyring: Keyring;
  log: Logger;
  /** Told after the settings were applied (the uploaded files' backup follows them). */
  onApplied?: () => void;
};

/** Waits between restarts of a child that keeps dying; back to the first once it ran a minute. */
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000, 60_000];
const STABLE_RUN_MS = 60_000;
/** Litestream's final sync on SIGTERM: a slow store gets this long before SIGKILL. */
const STOP_GRACE_MS = 8000;
const TICK_MS = 1000;

/** Raised by `snapshotNow` when there is nothing to back up to, or the snapshot did not come. */
export class BackupUnavailableError extends Error {
  override name = "BackupUnavailableError";
}

/**
 * Runs `litestream replicate` as a child of the server: started when backups are enabled,
 * restarted with back-off when it dies, restarted with a new config when the settings change,
 * stopped after a final sync when the server stops. Its state goes to `backup/status.json` for
 * `opsbox backup status`.
 */
export class BackupSupervisor {
  #child: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  #planKey: string | null = null;
  #configPath: string | null = null;
  #state: ChildState = "disabled";
  #reason: string | null = "Backups are not set up.";
  #replicas: ReplicaProgress[] = [];
  #restarts = 0;
  #failures = 0;
  #childStartedAt: number | null = null;
  #restartTimer: Timer | null = null;
  #ticker: Timer | null = null;
  #stopped = false;
  #queue: Promise<unknown> = Promise.resolve();
  #lastSnapshotRequestDoneAt: number | null = null;
  #lastSnapshotRequestedAt: number | null = null;
  /** Children started so far (each one's log lines carry its number), and per replica the last to snapshot. */
  #spawns = 0;
  #snapshotBy = new Map<string, number>();
  #lastWritten = "";

  constructor(private readonly deps: SupervisorDeps) {}

  /** Reads the settings and starts replicating when backups are enabled. */
  start(): Promise<void> {
    stopOrphanedChild(this.deps.config.dataDir, this.deps.log);
    this.#ticker ??= setInterval(() => this.#tick(), TICK_MS);
    // The child and its log streams keep the process alive while replicating; the ticker must not.
    this.#ticker.unref();
    return this.reconfigure();
  }

  /** Applies the stored settings: call it after saving them. A no-op when nothing changed. */
  reconfigure(): Promise<void> {
    return this.#serial(() => this.#apply()).finally(() => this.deps.onApplied?.());
  }

  /**
   * A fresh snapshot on every replica now: Litestream is stopped (after its final sync), the WAL
   * folded into the database, and Litestream started again, which begins a new generation with a
   * snapshot. Resolves once every replica has a snapshot by a child started for this request (or
   * its restart), never an earlier one however recent. Requests queue; each takes its own.
   */
  snapshotNow(timeoutMs = 60_000): Promise<void> {
    return this.#serial(async () => {
      if (this.#stopped) throw new BackupUnavailableError("Opsbox is stopping.");
      const target = this.#target();
      if (!target) throw new BackupUnavailableError(this.#reason ?? "Backups are not set up.");
      const requestedAt = Date.now();
      await this.#stopChild();
      const [checkpoint] = this.deps.db.$client.query<{ busy: number }, []>("PRAGMA wal_checkpoint(TRUNCATE)").all();
      if (checkpoint?.busy) this.deps.log.warn("backup now: the WAL could not be folded in; the snapshot may wait");
      this.#spawn(target, true);
      if (!this.#child) throw new BackupUnavailableError(this.#reason ?? "Litestream could not be started.");
      const spawned = this.#spawns;
      const deadline = Date.now() + timeoutMs;
      while (!this.#replicas.every((replica) => (this.#snapshotBy.get(replica.name) ?? 0) >= spawned)) {
        if (Date.now() > deadline || this.#stopped)
          throw new BackupUnavailableError("No snapshot reached every replica in time; see `opsbox backup status`.");
        await Bun.sleep(100);
      }
      this.#lastSnapshotRequestedAt = requestedAt;
      this.#lastSnapshotRequestDoneAt = Date.now();
      this.#writeStatus();
    });
  }

  /** Stops the child after its final sync; nothing restarts it afterwards. */
  stop(): Promise<void> {
    this.#stopped = true;
    if (this.#ticker) clearInterval(this.#ticker);
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    return this.#serial(async () => {
      await this.#stopChild();
      if (this.#state !== "disabled") this.#setState("stopped", "Opsbox stopped.");
    });
  }

  /** The child's state and each replica's progress, with lag computed at `now`. */
  status(): SupervisorStatus {
    return {
      serverPid: process.pid,
      state: this.#state,
      reason: this.#reason,
      childPid: this.#child?.pid ?? null,
      childStartedAt: this.#childStartedAt,
      restarts: this.#restarts,
      replicas: this.#replicas.map((replica) => ({ ...replica })),
      lastSnapshotRequestedAt: this.#lastSnapshotRequestedAt,
      lastSnapshotRequestDoneAt: this.#lastSnapshotRequestDoneAt,
    };
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #target(): BackupTarget | null {
    try {
      const target = readBackupTarget(this.deps.db, this.deps.keyring);
      if (!target) this.#setState("disabled", "Backups are not set up.");
      return target;
    } catch (error) {
      this.#setState("unavailable", `The backup settings cannot be read: ${messageOf(error)}`);
      return null;
    }
  }

  async #apply(): Promise<void> {
    if (this.#stopped) return;
    await ensureKeyWhenEnabled(this.deps.db, this.deps.keyring, this.deps.log);
    const target = this.#target();
    if (!target) {
      await this.#stopChild();
      this.#planKey = null;
      return;
    }
    const key = JSON.stringify(litestreamPlan(target, this.#planOptions()));
    if (key === this.#planKey && (this.#child || this.#restartTimer)) return;
    await this.#stopChild();
    this.#spawn(target, true);
  }

  #planOptions() {
    return {
      databasePath: databasePath(this.deps.config.dataDir),
      syncIntervalMs: this.deps.config.backup.syncIntervalMs,
    };
  }

  #spawn(target: BackupTarget, fresh: boolean): void {
    const binary = litestreamBinary(this.deps.config.backup.litestreamBin);
    if (!binary || !existsSync(binary)) {
      this.#setState("unavailable", `litestream not found${binary ? ` at ${binary}` : ""}; set OPSBOX_LITESTREAM_BIN`);
      return;
    }
    const plan = litestreamPlan(target, this.#planOptions());
    this.#planKey = JSON.stringify(plan);
    this.#configPath = writeLitestreamConfig(this.deps.config.dataDir, plan.yaml);
    foldWalWhenKeyChanged(this.deps.db, this.deps.config.dataDir, target.key?.recipient ?? null, this.deps.log);
    const names = [...(target.s3 ? [REPLICA_NAMES.s3] : []), ...(target.directory ? [REPLICA_NAMES.directory] : [])];
    if (fresh) this.#failures = 0;
    this.#replicas = names.map((name) => {
      const known = this.#replicas.find((replica) => replica.name === name);
      return known ? { ...known, pendingSince: null, lastError: null } : newProgress(name);
    });
    const child = Bun.spawn([binary, "replicate", "-config", this.#configPath, "-no-expand-env"], {
      env: { PATH: process.env.PATH ?? "", ...plan.env },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const spawn = ++this.#spawns;
    this.#child = child;
    this.#childStartedAt = Date.now();
    this.#setState("running", null);
    this.deps.log.info({ pid: child.pid, replicas: names }, "backups: litestream started");
    void forEachLine(child.stdout, (line) => this.#logLine(line, spawn));
    void forEachLine(child.stderr, (line) => this.#logLine(line, spawn));
    void child.exited.then((code) => this.#exited(child, code));
  }

  #logLine(line: string, spawn: number): void {
    const event = eventOf(parseLogLine(line));
    if (!event) return;
    applyEvent(this.#replicas, event);
    if (event.kind === "snapshot") this.#snapshotBy.set(event.replica, spawn);
    if (event.kind === "error")
      this.deps.log.warn({ replica: event.replica, error: event.message }, "backups: litestream error");
    this.#writeStatus();
  }

  #exited(child: Subprocess, code: number): void {
    if (this.#child !== child) return;
    this.#child = null;
    const ranMs = Date.now() - (this.#childStartedAt ?? Date.now());
    if (ranMs >= STABLE_RUN_MS) this.#failures = 0;
    const delay = BACKOFF_MS[Math.min(this.#failures, BACKOFF_MS.length - 1)] ?? 60_000;
    this.#failures += 1;
    this.#restarts += 1;
    this.#setState("restarting", `litestream exited with code ${code}; restarting in ${delay / 1000} s`);
    this.deps.log.error({ code, restartInMs: delay }, "backups: litestream exited");
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      void this.#serial(async () => {
        if (this.#stopped || this.#child) return;
        const target = this.#target();
        if (target) this.#spawn(target, false);
      });
    }, delay);
  }

  async #stopChild(): Promise<void> {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    child.kill("SIGTERM");
    const ended = await Promise.race([child.exited.then(() => true), Bun.sleep(STOP_GRACE_MS).then(() => false)]);
    if (!ended) {
      this.deps.log.warn("backups: litestream did not finish its final sync in time; killed");
      child.kill("SIGKILL");
      await child.exited;
    }
    this.#childStartedAt = null;
  }

  #setState(state: ChildState, reason: string | null): void {
    this.#state = state;
    this.#reason = reason;
    this.#writeStatus();
  }

  #tick(): void {
    if (this.#state !== "running" || this.#childStartedAt === null) return;
    observeWal(this.#replicas, walModifiedAt(this.deps.config.dataDir), this.#childStartedAt);
    this.#writeStatus();
  }

  #writeStatus(): void {
    // A box that never had backups gets no backup folder.
    if (this.#state === "disabled" && !existsSync(backupDir(this.deps.config.dataDir))) return;
    const status = this.status();
    const text = JSON.stringify(status);
    if (text === this.#lastWritten) return;
    this.#lastWritten = text;
    try {
      writeStatusFile(this.deps.config.dataDir, status);
    } catch (error) {
      this.deps.log.warn({ err: error }, "backups: cannot write the status file");
    }
  }
}

/** When the database's WAL was last written, or null when there is none. */
function walModifiedAt(dataDir: string): number | null {
  try {
    return statSync(`${databasePath(dataDir)}-wal`).mtimeMs;
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
