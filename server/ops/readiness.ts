import { statfsSync } from "node:fs";
import { readinessProbe } from "../../models/instance.ts";
import { backupHealth } from "../backup/readiness.ts";
import { type Db, sqliteVecVersion } from "../db.ts";
import type { AppDeps } from "../http/env.ts";
import { inboundMailHealth } from "../inbound-mail/readiness.ts";
import { migrationStatus } from "../migrate.ts";

export type CheckResult = { status: "ok" | "fail"; critical: boolean; message?: string } & Record<string, unknown>;

export type Readiness = {
  status: "ok" | "fail";
  checks: Record<string, CheckResult>;
};

// Short enough that a probe answers while another process holds the write lock.
const PROBE_BUSY_TIMEOUT_MS = 1000;

/** The last write probe of each database, reused for a second. */
const lastProbes = new WeakMap<Db, { at: number; result: CheckResult }>();
const PROBE_INTERVAL_MS = 1000;

/**
 * Commits one row: proves the database takes and syncs a write, not merely that it opens. The
 * write (an fsync) runs at most once a second; a probe within the second reuses its result, so a
 * monitor polling hard cannot slow everyone's writes.
 */
export function checkDatabaseWritable(db: Db, now = Date.now()): CheckResult {
  const last = lastProbes.get(db);
  if (last && now - last.at >= 0 && now - last.at < PROBE_INTERVAL_MS) return last.result;
  const result = probeDatabaseWrite(db);
  lastProbes.set(db, { at: now, result });
  return result;
}

function probeDatabaseWrite(db: Db): CheckResult {
  const started = performance.now();
  try {
    db.$client.run(`PRAGMA busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
    db.insert(readinessProbe)
      .values({ id: 1, checkedAt: new Date() })
      .onConflictDoUpdate({ target: readinessProbe.id, set: { checkedAt: new Date() } })
      .run();
    return { status: "ok", critical: true, writable: true, latencyMs: elapsed(started) };
  } catch (error) {
    return {
      status: "fail",
      critical: true,
      writable: false,
      message: `The database does not accept writes: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    db.$client.run("PRAGMA busy_timeout = 5000");
  }
}

export function checkMigrations(db: Db): CheckResult {
  try {
    const status = migrationStatus(db);
    const current = status.pending === 0 && !status.newerThanCode;
    return {
      status: current ? "ok" : "fail",
      critical: true,
      schemaVersion: status.expectedVersion,
      applied: status.applied,
      known: status.known,
      ...(current
        ? {}
        : {
            message: status.newerThanCode
              ? "The database was migrated by a newer Opsbox."
              : `${status.pending} migration(s) not applied; restart Opsbox or run opsbox migrate.`,
          }),
    };
  } catch (error) {
    return { status: "fail", critical: true, message: `Cannot read migrations: ${String(error)}` };
  }
}

export function checkSqliteVec(db: Db): CheckResult {
  try {
    return { status: "ok", critical: true, version: sqliteVecVersion(db) };
  } catch (error) {
    return { status: "fail", critical: true, message: `sqlite-vec is not loaded: ${String(error)}` };
  }
}

export function checkDiskSpace(dataDir: string, minFreeBytes: number): CheckResult {
  try {
    const stats = statfsSync(dataDir);
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    const enough = freeBytes >= minFreeBytes;
    return {
      status: enough ? "ok" : "fail",
      critical: true,
      freeBytes,
      minFreeBytes,
      ...(enough ? {} : { message: `Only ${Math.floor(freeBytes / 1024 / 1024)} MB free in the data directory.` }),
    };
  } catch (error) {
    return { status: "fail", critical: true, message: `Cannot read free space: ${String(error)}` };
  }
}

/** Every readiness check; the box is ready when no critical check fails and it is not stopping. */
export function checkReadiness(deps: AppDeps): Readiness {
  const checks: Record<string, CheckResult> = {
    database: checkDatabaseWritable(deps.db),
    migrations: checkMigrations(deps.db),
    sqliteVec: checkSqliteVec(deps.db),
    disk: checkDiskSpace(deps.config.dataDir, deps.config.minFreeDiskBytes),
  };
  const backups = deps.backup ? backupHealth(deps.backup.status(), deps.config.backup.syncIntervalMs) : null;
  // Not critical: a box whose replica lags still serves; it says so here and in `opsbox backup status`.
  if (backups) {
    const { healthy, ...detail } = backups;
    checks.backups = { status: healthy ? "ok" : "fail", critical: false, ...detail };
  }
  const inbound = inboundMailHealth(deps.db);
  // Not critical either: the box serves while a mailbox cannot sign in; Settings → Inbound mail says why.
  if (inbound) {
    const { healthy, ...detail } = inbound;
    checks.inboundMail = { status: healthy ? "ok" : "fail", critical: false, ...detail };
  }
  if (deps.lifecycle.stopping) {
    checks.process = { status: "fail", critical: true, message: "Opsbox is stopping." };
  }
  const failed = Object.values(checks).some((check) => check.critical && check.status === "fail");
  return { status: failed ? "fail" : "ok", checks };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
