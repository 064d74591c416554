import { formatBytes } from "../tools/bytes.ts";
import type { FileBackupCounts } from "./files/ledger.ts";
import type { RestoredFiles } from "./files/restore-files.ts";
import type { BackupListing } from "./list.ts";
import { backupHealth } from "./readiness.ts";
import type { RestoredDatabase } from "./restore.ts";
import type { BackupTarget } from "./settings.ts";
import type { SupervisorStatus } from "./status-file.ts";
import type { Verification } from "./verify.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);

/** Prints `opsbox backup status`; returns false when backups need attention. */
export function printStatus(view: {
  target: BackupTarget | null;
  files: FileBackupCounts | null;
  serverPid: number | null;
  status: SupervisorStatus | null;
  verification: Verification | null;
  syncIntervalMs: number;
}): boolean {
  const { target, status } = view;
  if (!target) {
    out("Backups are off: set them up in Settings or with `opsbox setup`.");
    return true;
  }
  if (target.s3)
    out(
      `S3 replica         ${target.s3.bucket}/${target.s3.path}${target.s3.endpoint ? ` at ${target.s3.endpoint}` : ""}`,
    );
  if (target.directory) out(`Directory replica  ${target.directory}`);
  out(`Snapshots          daily, kept ${target.retentionDays} days`);
  out(
    `Encryption         ${target.key ? `age, public key ${target.key.recipient}` : "none yet (the key is made when backups first run)"}`,
  );
  if (view.files) out(`Uploaded files     ${view.files.files} file(s), ${view.files.waiting} waiting to be copied`);
  let healthy = true;
  if (view.serverPid === null || !status) {
    out("Litestream         not running: Opsbox is not running, so nothing replicates now");
    healthy = false;
  } else {
    const health = backupHealth(status, view.syncIntervalMs);
    const since = status.childStartedAt ? `, since ${new Date(status.childStartedAt).toISOString()}` : "";
    out(
      `Litestream         ${status.state}${status.childPid ? ` (pid ${status.childPid}${since})` : ""}, ${status.restarts} restart(s)`,
    );
    if (status.reason) out(`                   ${status.reason}`);
    for (const replica of health?.replicas ?? []) {
      const last = replica.lastReplicatedAt
        ? `${replica.lastReplicatedAt} (${age(replica.lastReplicatedAt)} ago)`
        : "nothing yet";
      out(`  ${replica.name.padEnd(10)} last replicated ${last}, lag ${Math.round(replica.lagMs / 1000)} s`);
      if (replica.position) out(`  ${"".padEnd(10)} position ${replica.position}`);
      if (replica.lastError) out(`  ${"".padEnd(10)} last error: ${replica.lastError}`);
    }
    if (health?.message) out(health.message);
    healthy = health?.healthy ?? true;
  }
  const check = view.verification;
  out(
    check
      ? `Last test restore  ${check.at}: ${check.ok ? "ok" : "FAILED"} (${check.message})`
      : "Last test restore  never: run `opsbox backup verify`",
  );
  return healthy;
}

export function printListing(listing: BackupListing): void {
  out("Generations");
  for (const row of listing.generations)
    out(`  ${row.replica.padEnd(10)} ${row.generation}  ${row.start} … ${row.end}`);
  if (listing.generations.length === 0) out("  none yet");
  out("Snapshots");
  for (const row of listing.snapshots)
    out(`  ${row.replica.padEnd(10)} ${row.generation}  ${row.createdAt}  ${formatBytes(row.sizeBytes).padStart(9)}`);
  if (listing.snapshots.length === 0) out("  none yet");
}

export function printVerification(result: Verification): void {
  out(`${result.ok ? "✔" : "✘"} Test restore ${result.at}: ${result.message}`);
  if (result.replica)
    out(`  from the ${result.replica} replica, generation ${result.generation}, ${formatBytes(result.sizeBytes ?? 0)}`);
}

export function printRestored(restored: RestoredDatabase): void {
  out(`Restored ${restored.path} (${formatBytes(restored.sizeBytes)})`);
  out(`  from      the ${restored.replica ?? "?"} replica, generation ${restored.generation ?? "?"}`);
  out(`  as of     ${restored.timestamp ?? "the latest replicated change"}`);
  out(`  integrity ${restored.integrity}`);
  out(
    `  contents  ${restored.tables} tables, ${restored.organizations ?? 0} organisation(s), ${restored.users ?? 0} user(s)`,
  );
}

export function printRestoredFiles(files: RestoredFiles): void {
  out(
    `  files     ${files.referenced} referenced: ${files.restored} restored, ${files.present} already there, ${files.missing.length} missing, ${files.damaged.length} damaged`,
  );
  for (const { sha256, reason } of files.missing) out(`  missing   ${sha256}: ${reason}`);
  for (const sha256 of files.damaged) out(`  damaged   ${sha256}: its bytes do not match its checksum`);
}

function age(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120
    ? `${seconds} s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)} min`
      : `${Math.round(seconds / 3600)} h`;
}
