import { Gauge, Registry } from "prom-client";
import type { BackupOutcome, BackupReport } from "../backup-status.ts";

/**
 * Replication and backup series: in a registry of their own, rendered only while the backup
 * module's provider answers (BackupStatus), so that a box without backups shows none of them
 * rather than zeros that read as failures.
 */
export class BackupGauges {
  readonly registry = new Registry();
  readonly #lag: Gauge<"replica">;
  readonly #replicatorUp: Gauge;
  readonly #lastSuccess: Gauge<"kind">;
  readonly #lastTime: Gauge<"kind">;
  /** In a registry of its own: rendered only when the report knows the count. */
  readonly #filesRegistry = new Registry();
  readonly #filesWaiting: Gauge;

  constructor() {
    const registers = [this.registry];
    this.#lag = new Gauge({
      name: "opsbox_replication_lag_seconds",
      help: "Seconds since the newest database position each replica confirmed.",
      labelNames: ["replica"],
      registers,
    });
    this.#replicatorUp = new Gauge({
      name: "opsbox_backup_replicator_up",
      help: "1 while the replicating process (Litestream) runs, 0 when it should and does not.",
      registers,
    });
    this.#lastSuccess = new Gauge({
      name: "opsbox_backup_last_success",
      help: "1 when the last snapshot (kind=snapshot) or test restore (kind=restore_test) succeeded, 0 when it failed.",
      labelNames: ["kind"],
      registers,
    });
    this.#lastTime = new Gauge({
      name: "opsbox_backup_last_timestamp_seconds",
      help: "When the last snapshot or test restore finished, in seconds since the epoch.",
      labelNames: ["kind"],
      registers,
    });
    this.#filesWaiting = new Gauge({
      name: "opsbox_backup_files_waiting",
      help: "Uploaded files not yet copied to every backup replica.",
      registers: [this.#filesRegistry],
    });
  }

  /** The series of `report`, in Prometheus text. */
  async render(report: BackupReport): Promise<string> {
    for (const gauge of [this.#lag, this.#lastSuccess, this.#lastTime]) gauge.reset();
    for (const replica of report.replicas) {
      if (replica.lagSeconds !== null) this.#lag.set({ replica: replica.name }, replica.lagSeconds);
    }
    this.#replicatorUp.set(report.replicatorRunning ? 1 : 0);
    this.#outcome("snapshot", report.lastBackup);
    this.#outcome("restore_test", report.lastRestoreTest);
    if (report.filesWaiting === undefined || report.filesWaiting === null) return this.registry.metrics();
    this.#filesWaiting.set(report.filesWaiting);
    return (await this.registry.metrics()) + (await this.#filesRegistry.metrics());
  }

  #outcome(kind: string, outcome: BackupOutcome | null): void {
    if (!outcome) return;
    this.#lastSuccess.set({ kind }, outcome.ok ? 1 : 0);
    this.#lastTime.set({ kind }, outcome.at.getTime() / 1000);
  }
}
