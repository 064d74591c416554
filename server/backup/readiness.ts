import { laggingAfterMs, lagMs } from "./replica-progress.ts";
import type { SupervisorStatus } from "./status-file.ts";

export type BackupHealth = {
  healthy: boolean;
  state: SupervisorStatus["state"];
  restarts: number;
  replicas: {
    name: string;
    lagMs: number;
    lastReplicatedAt: string | null;
    position: string | null;
    lastError: string | null;
  }[];
  message?: string;
};

/**
 * The backups as /readyz and `opsbox backup status` show them: unhealthy when Litestream is not
 * running or a replica lags, with a message saying which. Null when backups are off.
 */
export function backupHealth(status: SupervisorStatus, syncIntervalMs: number, now = Date.now()): BackupHealth | null {
  if (status.state === "disabled") return null;
  const limit = laggingAfterMs(syncIntervalMs);
  const replicas = status.replicas.map((replica) => ({
    name: replica.name,
    lagMs: lagMs(replica, now),
    lastReplicatedAt: replica.lastReplicatedAt === null ? null : new Date(replica.lastReplicatedAt).toISOString(),
    position: replica.position,
    lastError: replica.lastError?.message ?? null,
  }));
  const problems = [
    ...(status.state === "running"
      ? []
      : [`Litestream is ${status.state}${status.reason ? `: ${status.reason}` : ""}`]),
    ...replicas
      .filter((replica) => replica.lagMs > limit)
      .map(
        (replica) =>
          `the ${replica.name} replica is ${Math.round(replica.lagMs / 1000)} s behind${replica.lastError ? ` (${replica.lastError})` : ""}`,
      ),
  ];
  return {
    healthy: problems.length === 0,
    state: status.state,
    restarts: status.restarts,
    replicas,
    ...(problems.length > 0 ? { message: `Backups: ${problems.join("; ")}.` } : {}),
  };
}
