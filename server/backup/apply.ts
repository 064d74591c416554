import type { Logger } from "../http/logger.ts";
import { runningServerPid } from "../tools/pid-file.ts";
import { RELOAD_SIGNAL } from "./signals.ts";
import type { BackupSupervisor } from "./supervisor.ts";

/**
 * The one call after backup settings are saved: inside the server, its supervisor applies them
 * at once (in the background: a request never waits on Litestream); from a command, the running
 * server on that data directory is told to, if there is one.
 */
export function applyBackupSettings(target: { backup?: BackupSupervisor; log: Logger } | { dataDir: string }): void {
  if ("dataDir" in target) {
    const pid = runningServerPid(target.dataDir);
    if (pid !== null && pid !== process.pid) process.kill(pid, RELOAD_SIGNAL);
    return;
  }
  target.backup
    ?.reconfigure()
    .catch((error) => target.log.error({ err: error }, "backups: cannot apply the new settings"));
}
