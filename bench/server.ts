import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** The server under test: `bun server/main.ts` in its own process, logging to a file. */
export type BenchServer = {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 from GET /readyz. */
  readyMs: number;
  /** SIGTERM, then waits for the graceful stop to finish. */
  stop: () => Promise<void>;
};

export type ServerOptions = {
  dataDir: string;
  logLevel: string;
  /** Where the server's stdout and stderr go, so that the bench never spends CPU reading them. */
  logFile: string;
  /** More environment for the server (e.g. a higher API-key rate limit for load tests). */
  env?: Record<string, string>;
  /** The script bun runs: server/main.ts unless told (e.g. the bundle `npm start` runs). */
  entry?: string;
};

/** Servers started and not yet stopped, so that an interrupted run leaves none behind. */
const live = new Set<Bun.Subprocess>();

const REPO = join(import.meta.dir, "..");
const MAIN = join(REPO, "server", "main.ts");
const POLL_MS = 5;
const READY_TIMEOUT_MS = 15_000;

/** Spawns the server and polls /readyz every 5 ms; the clock starts just before the spawn. */
export async function startBenchServer(options: ServerOptions): Promise<BenchServer> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(options.logFile, "a");
  const started = performance.now();
  // process.execPath is the bun binary itself, so `pid` is the server, not a wrapper.
  const proc = Bun.spawn([process.execPath, options.entry ?? MAIN], {
    // Bun reads tsconfig.json (the JSX import source) from the working directory.
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      OPSBOX_DATA_DIR: options.dataDir,
      OPSBOX_LOG_LEVEL: options.logLevel,
      ...options.env,
    },
    stdin: "ignore",
    stdout: logFd,
    stderr: logFd,
  });
  closeSync(logFd);
  live.add(proc);
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
    live.delete(proc);
  };

  while (!(await isReady(url))) {
    if (proc.exitCode !== null || performance.now() - started > READY_TIMEOUT_MS) {
      await stop();
      throw new Error(`the server did not become ready; the end of its log:\n${tail(options.logFile)}`);
    }
    await Bun.sleep(POLL_MS);
  }
  return { pid: proc.pid, url, readyMs: performance.now() - started, stop };
}

/** Sends SIGTERM to every server still running; for an interrupted bench. */
export function killLiveServers(): void {
  for (const proc of live) proc.kill("SIGTERM");
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Resident and peak resident memory of a process, in bytes, from /proc/<pid>/status. */
export function readMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssBytes: kilobytes("VmRSS") * 1024, peakRssBytes: kilobytes("VmHWM") * 1024 };
}

/** A free loopback port (the probe closes before the caller binds it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}
