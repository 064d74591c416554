import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { findFreePort } from "./server.ts";

const FLOOR_SERVER = join(import.meta.dir, "floor-server.ts");
const READY_TIMEOUT_MS = 15_000;

/** Starts bench/floor-server.ts in its own process on a free port and waits until it answers. */
export async function startFloorServer(
  dbPath: string,
  logFile: string,
): Promise<{ pid: number; url: string; stop: () => Promise<void> }> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logFile, "a");
  const proc = Bun.spawn([process.execPath, FLOOR_SERVER], {
    cwd: join(import.meta.dir, ".."),
    env: { PATH: process.env.PATH ?? "", PORT: String(port), FLOOR_DB: dbPath },
    stdin: "ignore",
    stdout: logFd,
    stderr: logFd,
  });
  closeSync(logFd);
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(`${url}/readyz`);
      await response.arrayBuffer();
      if (response.ok) return { pid: proc.pid, url, stop };
    } catch {
      // Not listening yet.
    }
    if (proc.exitCode !== null || performance.now() - started > READY_TIMEOUT_MS) {
      await stop();
      throw new Error(`the floor server did not start; see ${logFile}`);
    }
    await Bun.sleep(5);
  }
}
