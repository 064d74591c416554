import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** `<data dir>/opsbox.pid`: written by a running server, so that commands can tell a box is running. */
export const PID_FILE = "opsbox.pid";

export function pidFilePath(dataDir: string): string {
  return join(dataDir, PID_FILE);
}

export function writePidFile(dataDir: string, pid = process.pid): void {
  writeFileSync(pidFilePath(dataDir), `${pid}\n`, { mode: 0o600 });
}

/** Removes the file if it still names `pid` (a newer server's file is left alone). */
export function removePidFile(dataDir: string, pid = process.pid): void {
  if (readPid(dataDir) === pid) rmSync(pidFilePath(dataDir), { force: true });
}

/** The pid of the server running on `dataDir`, or null when none is (no file, or its process is gone). */
export function runningServerPid(dataDir: string): number | null {
  const pid = readPid(dataDir);
  if (pid === null) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it is running all the same.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

function readPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(pidFilePath(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
