import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { type CliContext, CliFailure, withCliContext } from "../cli-context.ts";
import { loadConfig } from "../config.ts";
import { DATABASE_FILE } from "../db.ts";
import { runningServerPid } from "../tools/pid-file.ts";
import { registerBackupKeyCommand } from "./cli-key.ts";
import { printListing, printRestored, printRestoredFiles, printStatus, printVerification } from "./cli-print.ts";
import { restoreSource, type SourceOptions } from "./cli-source.ts";
import { FileBackup } from "./files/file-backup.ts";
import { fileBackupCounts } from "./files/ledger.ts";
import { FileRestoreError, restoreFiles } from "./files/restore-files.ts";
import { litestreamJobOf } from "./jobs.ts";
import { listBackups } from "./list.ts";
import type { LitestreamJob } from "./litestream-run.ts";
import { RestoreError, restoreDatabase } from "./restore.ts";
import { readBackupTarget } from "./settings.ts";
import { SNAPSHOT_SIGNAL } from "./signals.ts";
import { readStatusFile } from "./status-file.ts";
import { BackupSupervisor, BackupUnavailableError } from "./supervisor.ts";
import { lastVerification, verifyBackups } from "./verify.ts";

const SNAPSHOT_WAIT_MS = 90_000;

/** `opsbox backup status | now | list | verify | restore`. */
export function registerBackupCommands(program: Command): void {
  const backup = program
    .command("backup")
    .description("continuous backups with Litestream: status, snapshots, restores");

  registerBackupKeyCommand(backup);

  backup
    .command("status")
    .description("the replicas, how far behind they are, the Litestream process and the last test restore")
    .action(() =>
      withCliContext((ctx) => {
        const target = readBackupTarget(ctx.db, ctx.keyring);
        const running = runningServerPid(ctx.config.dataDir);
        const healthy = printStatus({
          target,
          files: target ? fileBackupCounts(ctx.db, ctx.config.dataDir, target) : null,
          serverPid: running,
          status: running ? readStatusFile(ctx.config.dataDir) : null,
          verification: lastVerification(ctx.db),
          syncIntervalMs: ctx.config.backup.syncIntervalMs,
        });
        if (!healthy) throw new CliFailure("Backups need attention: see above.");
      }),
    );

  backup
    .command("now")
    .description("take a snapshot on every replica now (through the running server, or on its own)")
    .action(() =>
      withCliContext(async (ctx) => {
        if (!readBackupTarget(ctx.db, ctx.keyring)) throw new CliFailure("Backups are not set up on this box.");
        const pid = runningServerPid(ctx.config.dataDir);
        if (pid !== null) await snapshotThroughServer(ctx, pid);
        else await snapshotAlone(ctx);
        console.log("A snapshot is on every replica.");
      }),
    );

  backup
    .command("list")
    .description("generations and snapshots on every replica, with times and sizes")
    .action(() => withCliContext(async (ctx) => printListing(await listBackups(jobOf(ctx)))));

  backup
    .command("verify")
    .description("restore the latest backup into a temporary folder, check it, and record the result")
    .action(() =>
      withCliContext(async (ctx) => {
        const result = await verifyBackups(ctx.db, jobOf(ctx));
        printVerification(result);
        if (!result.ok) throw new CliFailure("The test restore failed.");
      }),
    );

  backup
    .command("restore")
    .description("restore the database into a directory (the data directory by default) and check it")
    .option("--timestamp <iso>", "the database as it was at this time (ISO 8601), instead of the latest")
    .option("--to <dir>", "the directory to restore opsbox.db into (default: the data directory)")
    .option("--bucket <name>", "restore from this S3 bucket (when the settings are lost with the data directory)")
    .option("--endpoint <url>", "the S3 endpoint (blank for Amazon S3)")
    .option("--region <region>", "the bucket's region", "us-east-1")
    .option("--path <path>", "the path in the bucket", "opsbox")
    .option("--path-style", "address the bucket in the URL path (MinIO and most self-hosted stores)")
    .option("--directory <dir>", "restore from this backup directory")
    .option("--key <file>", "the backup key file downloaded from this box (when its own copy is gone)")
    .action(async (options: SourceOptions & { timestamp?: string; to?: string }) => {
      const config = loadConfig(process.env);
      const timestamp = options.timestamp === undefined ? undefined : new Date(options.timestamp);
      if (timestamp && Number.isNaN(timestamp.getTime()))
        throw new CliFailure(`--timestamp: not an ISO 8601 time: ${options.timestamp}`);
      const to = resolve(options.to ?? config.dataDir);
      if (to === config.dataDir && runningServerPid(config.dataDir) !== null)
        throw new CliFailure(
          "Opsbox is running on this data directory: stop it first, or restore into another directory with --to.",
        );
      mkdirSync(to, { recursive: true, mode: 0o750 });
      const target = await restoreSource(config, options);
      const job = { binary: config.backup.litestreamBin, dataDir: config.dataDir, workDir: to, target };
      try {
        const restored = await restoreDatabase(job, { outputPath: resolve(to, DATABASE_FILE), timestamp });
        printRestored(restored);
        if (restored.integrity !== "ok") throw new CliFailure("The restored database failed its integrity check.");
        const files = await restoreFiles(restored.path, to, target);
        printRestoredFiles(files);
        if (files.missing.length + files.damaged.length > 0)
          throw new CliFailure("Some files the database refers to could not be restored: see above.");
      } catch (error) {
        if (error instanceof RestoreError || error instanceof FileRestoreError) throw new CliFailure(error.message);
        throw error;
      }
    });
}

function jobOf(ctx: CliContext): LitestreamJob {
  const job = litestreamJobOf(ctx);
  if (!job) throw new CliFailure("Backups are not set up on this box.");
  return job;
}

/** Asks the running server's supervisor (SIGUSR2) and waits for it to say it is done. */
async function snapshotThroughServer(ctx: CliContext, pid: number): Promise<void> {
  const askedAt = Date.now();
  process.kill(pid, SNAPSHOT_SIGNAL);
  const deadline = askedAt + SNAPSHOT_WAIT_MS;
  while (Date.now() < deadline) {
    // Only a request the server began after the signal counts: one already running may end later.
    if ((readStatusFile(ctx.config.dataDir)?.lastSnapshotRequestedAt ?? 0) >= askedAt) return;
    await Bun.sleep(250);
  }
  throw new CliFailure("The server did not confirm the snapshot in time: see `opsbox backup status` and its log.");
}

/** With no server running, this command runs Litestream itself just long enough for the snapshot. */
async function snapshotAlone(ctx: CliContext): Promise<void> {
  const supervisor = new BackupSupervisor(ctx);
  try {
    await supervisor.snapshotNow();
    if (!(await new FileBackup(ctx).flush()))
      throw new CliFailure("The uploaded files could not all be copied: see the warnings above.");
  } catch (error) {
    if (error instanceof BackupUnavailableError) throw new CliFailure(error.message);
    throw error;
  } finally {
    await supervisor.stop();
  }
}
