import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backupDir } from "./litestream-config.ts";
import type { ReplicaProgress } from "./replica-progress.ts";

export type ChildState = "disabled" | "starting" | "running" | "restarting" | "stopped" | "unavailable";

/** What the running server's supervisor knows, as it writes it for `opsbox backup status`. */
export type SupervisorStatus = {
  /** The server process that wrote this. */
  serverPid: number;
  state: ChildState;
  /** Why the child is not running, when it is not. */
  reason: string | null;
  childPid: number | null;
  childStartedAt: number | null;
  restarts: number;
  replicas: ReplicaProgress[];
  /** When the last `backup now` the supervisor finished was started (ms since the epoch). */
  lastSnapshotRequestedAt: number | null;
  /** The last `backup now` the supervisor finished (ms since the epoch). */
  lastSnapshotRequestDoneAt: number | null;
};

export function statusFilePath(dataDir: string): string {
  return join(backupDir(dataDir), "status.json");
}

/** Written whole and renamed into place, so that a reader never sees half a file. */
export function writeStatusFile(dataDir: string, status: SupervisorStatus): void {
  mkdirSync(backupDir(dataDir), { recursive: true, mode: 0o700 });
  const path = statusFilePath(dataDir);
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(status), { mode: 0o600 });
  renameSync(partial, path);
}

export function readStatusFile(dataDir: string): SupervisorStatus | null {
  try {
    return JSON.parse(readFileSync(statusFilePath(dataDir), "utf8")) as SupervisorStatus;
  } catch {
    return null;
  }
}
