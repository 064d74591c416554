import type { LitestreamEvent } from "./litestream-log.ts";

/** What Opsbox knows of one replica, from Litestream's log and the WAL file's modification time. */
export type ReplicaProgress = {
  name: string;
  /** When Litestream last wrote a WAL segment there, and the position it reached (generation/index:offset). */
  lastReplicatedAt: number | null;
  position: string | null;
  lastSnapshotAt: number | null;
  lastError: { message: string; at: number } | null;
  /** The oldest local change not yet written to this replica (null: the replica is caught up). */
  pendingSince: number | null;
};

export function newProgress(name: string): ReplicaProgress {
  return { name, lastReplicatedAt: null, position: null, lastSnapshotAt: null, lastError: null, pendingSince: null };
}

/** Applies one of Litestream's events to the replicas it names (an error without a replica names them all). */
export function applyEvent(replicas: ReplicaProgress[], event: LitestreamEvent): void {
  for (const replica of replicas) {
    if (event.replica !== null && event.replica !== replica.name) continue;
    if (event.kind === "error") {
      replica.lastError = { message: event.message, at: event.at };
      continue;
    }
    replica.position = event.position;
    replica.lastReplicatedAt = Math.max(replica.lastReplicatedAt ?? 0, event.at);
    replica.pendingSince = null;
    replica.lastError = null;
    if (event.kind === "snapshot") replica.lastSnapshotAt = event.at;
  }
}

/**
 * A change of the WAL after a replica's last write is pending for it from the change on (or
 * from when the child started, for changes it found waiting). A write that lands while a
 * segment is being shipped may read as shipped for one sync interval: lag is a lower bound then.
 */
export function observeWal(replicas: ReplicaProgress[], walModifiedAt: number | null, childStartedAt: number): void {
  if (walModifiedAt === null) return;
  for (const replica of replicas) {
    const shipped = replica.lastReplicatedAt ?? Number.NEGATIVE_INFINITY;
    if (walModifiedAt > shipped && replica.pendingSince === null)
      replica.pendingSince = Math.max(walModifiedAt, childStartedAt);
  }
}

/** How far behind the replica is, in milliseconds: 0 when it holds every change. */
export function lagMs(replica: ReplicaProgress, now: number): number {
  return replica.pendingSince === null ? 0 : Math.max(0, now - replica.pendingSince);
}

/** A replica further behind than this is reported as lagging: five sync intervals, at least 5 s. */
export function laggingAfterMs(syncIntervalMs: number): number {
  return Math.max(5000, 5 * syncIntervalMs);
}
