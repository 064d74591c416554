import type { Logger } from "../http/logger.ts";
import type { BackupSupervisor } from "./supervisor.ts";

/**
 * How `opsbox` commands reach the running server's supervisor: SIGHUP re-reads the backup
 * settings (after `opsbox setup`), SIGUSR2 takes a snapshot now (`opsbox backup now`).
 * Returns the function that stops listening.
 */
export function listenForBackupSignals(backup: BackupSupervisor, log: Logger): () => void {
  const reload = () => {
    backup.reconfigure().catch((error) => log.error({ err: error }, "backups: cannot apply the settings"));
  };
  const snapshot = () => {
    backup.snapshotNow().then(
      () => log.info("backups: snapshot taken on every replica"),
      (error) => log.error({ err: error }, "backups: the snapshot failed"),
    );
  };
  process.on(RELOAD_SIGNAL, reload);
  process.on(SNAPSHOT_SIGNAL, snapshot);
  return () => {
    process.off(RELOAD_SIGNAL, reload);
    process.off(SNAPSHOT_SIGNAL, snapshot);
  };
}

export const RELOAD_SIGNAL = "SIGHUP";
export const SNAPSHOT_SIGNAL = "SIGUSR2";
