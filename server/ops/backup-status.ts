/**
 * How the backup module publishes what it knows, for /metrics and the self-check, without either
 * importing it: the module registers one provider (`deps.backupStatus.register(...)`) when it
 * starts, and readers call it when they need a value. Until a provider is registered there is no
 * replication or backup series in /metrics and the self-check skips those checks.
 */

/** One finished backup or test restore. */
export type BackupOutcome = { at: Date; ok: boolean; message?: string };

export type BackupReport = {
  /**
   * Each configured replica ("s3", "directory"): seconds since the newest database position it
   * confirmed, null before its first.
   */
  replicas: { name: string; lagSeconds: number | null }[];
  /** Whether the replicating child process (Litestream) is running while it should. */
  replicatorRunning: boolean;
  /** The last snapshot ("back up now" or the daily one); null before the first. */
  lastBackup: BackupOutcome | null;
  /** The last verified test restore; null before the first. */
  lastRestoreTest: BackupOutcome | null;
  /** Uploaded files not yet copied to every replica; absent or null when unknown. */
  filesWaiting?: number | null;
};

/** Called at each scrape and self-check: keep it cheap (read state in memory); null when backups are off. */
export type BackupReportProvider = () => BackupReport | null;

/** The one provider of a box (AppDeps.backupStatus). */
export class BackupStatus {
  #provider: BackupReportProvider | null = null;

  /** Registers the provider (replacing an earlier one); the returned function takes it away again. */
  register(provider: BackupReportProvider): () => void {
    this.#provider = provider;
    return () => {
      if (this.#provider === provider) this.#provider = null;
    };
  }

  /** The provider's report, or null when none is registered or backups are off. A provider's error is thrown on. */
  read(): BackupReport | null {
    return this.#provider?.() ?? null;
  }
}
