import type { Queryable } from "../db.ts";
import type { BackupReport } from "../ops/backup-status.ts";
import type { Keyring } from "../tools/secrets.ts";
import { fileCopyCounts } from "./files/ledger.ts";
import { lagMs } from "./replica-progress.ts";
import type { SupervisorStatus } from "./status-file.ts";
import { lastVerification } from "./verify.ts";

/**
 * What /metrics and the self-check read of the backups (ops/backup-status.ts): each replica's
 * lag, whether Litestream runs, the newest snapshot, the last test restore and the uploaded files
 * waiting to be copied. Null while backups are off. A few small reads (the settings, the last test
 * restore, the files' confirmations and a listing of files/); the rest is the supervisor's memory.
 */
export function backupReport(
  deps: { db: Queryable; keyring: Keyring; config: { dataDir: string } },
  status: SupervisorStatus,
  now = Date.now(),
): BackupReport | null {
  if (status.state === "disabled") return null;
  const { db } = deps;
  const snapshots = status.replicas.flatMap((replica) =>
    replica.lastSnapshotAt === null ? [] : [replica.lastSnapshotAt],
  );
  const verification = lastVerification(db);
  return {
    replicas: status.replicas.map((replica) => ({
      name: replica.name,
      lagSeconds: replica.lastReplicatedAt === null ? null : lagMs(replica, now) / 1000,
    })),
    replicatorRunning: status.state === "running",
    lastBackup: snapshots.length > 0 ? { at: new Date(Math.max(...snapshots)), ok: true } : null,
    lastRestoreTest: verification
      ? { at: new Date(verification.at), ok: verification.ok, message: verification.message }
      : null,
    filesWaiting: fileCopyCounts(db, deps.keyring, deps.config.dataDir)?.waiting ?? null,
  };
}
