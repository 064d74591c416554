import { readFileSync } from "node:fs";
import type { Logger } from "../http/logger.ts";
import { readStatusFile } from "./status-file.ts";

/**
 * A server killed with SIGKILL leaves its Litestream running; two on one database would fight
 * over checkpoints, so the one a previous server started (named in the status file) is stopped.
 */
export function stopOrphanedChild(dataDir: string, log: Logger): void {
  const pid = readStatusFile(dataDir)?.childPid;
  if (!pid) return;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("litestream")) return;
    process.kill(pid, "SIGTERM");
    log.warn({ pid }, "backups: stopped the litestream a previous Opsbox left running");
  } catch {
    // Gone already, or not ours to see.
  }
}
