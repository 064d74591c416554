import type { AppDeps } from "../../http/env.ts";
import type { BackupReport, BackupStatus } from "../backup-status.ts";
import { type CheckResult, checkReadiness } from "../readiness.ts";

/** What each check is called in an alert. */
export const checkLabels: Record<string, string> = {
  database: "Database",
  migrations: "Database migrations",
  sqliteVec: "Vector search extension",
  disk: "Disk space",
  replication: "Backup replication",
  backup: "Backup process",
};

/**
 * Replication lag and the backup process, from the backup module's report; none until it
 * registers its provider. A provider that throws is a failed backup check.
 */
export function backupChecks(status: BackupStatus, maxLagSeconds: number): Record<string, CheckResult> {
  let report: BackupReport | null;
  try {
    report = status.read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { backup: { status: "fail", critical: false, message: `Cannot read the backup status: ${reason}` } };
  }
  if (!report) return {};
  const behind = report.replicas.filter((replica) => (replica.lagSeconds ?? 0) > maxLagSeconds);
  const problems: string[] = [];
  if (!report.replicatorRunning) problems.push("The backup process (Litestream) is not running.");
  if (report.lastBackup && !report.lastBackup.ok)
    problems.push(`The last backup failed${report.lastBackup.message ? `: ${report.lastBackup.message}` : "."}`);
  return {
    replication:
      behind.length === 0
        ? { status: "ok", critical: false }
        : {
            status: "fail",
            critical: false,
            message: behind
              .map((replica) => `Replica ${replica.name} is ${Math.round(replica.lagSeconds ?? 0)} s behind.`)
              .join(" "),
          },
    backup:
      problems.length === 0
        ? { status: "ok", critical: false }
        : { status: "fail", critical: false, message: problems.join(" ") },
  };
}

/**
 * Everything the self-check watches: the readiness checks (database, migrations, disk, …, not
 * "stopping", which is no fault), and replication and the backup process.
 */
export function healthChecks(deps: AppDeps): Record<string, CheckResult> {
  const { process: _stopping, ...checks } = checkReadiness(deps).checks;
  return { ...checks, ...backupChecks(deps.backupStatus, deps.config.maxReplicationLagSeconds) };
}
