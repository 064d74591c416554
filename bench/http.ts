/**
 * HTTP benchmark: starts `bun server/main.ts` as its own process and drives it with wrk on the
 * same box. Reports requests/s and p50/p95/p99 latency per target, cold start (spawn to the
 * first 200 from /readyz) and idle RSS. bench/RESULTS.md records the figures.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { benchWorkDir, fail, progress } from "./cli.ts";
import { boxBusyCpuSeconds, processCpuSeconds } from "./cpu.ts";
import { describeMachine } from "./machine.ts";
import { type BenchResults, formatReport, type LoadResult, median } from "./report.ts";
import { type BenchServer, readMemory, startBenchServer } from "./server.ts";
import { findWrk, runWrk, type WrkOptions, wrkVersion } from "./wrk.ts";

type Target = { name: string; path: string; expectedStatus: number; label: string };

const TARGETS: Record<string, Omit<Target, "name">> = {
  healthz: { path: "/healthz", expectedStatus: 200, label: "GET /healthz (no database)" },
  root: { path: "/", expectedStatus: 302, label: "GET / (SQLite read, 302 to /setup)" },
  // Commits and fsyncs one row per request (synchronous=FULL): slow by design, opt-in.
  readyz: { path: "/readyz", expectedStatus: 200, label: "GET /readyz (SQLite write+fsync, slow by design)" },
};

const USAGE = `usage: bun bench/http.ts [options]
  --connections N   open connections held by wrk (default 50)
  --duration S      seconds of load per target (default 10)
  --threads N       wrk threads (default 2)
  --targets LIST    comma list of ${Object.keys(TARGETS).join(", ")} (default healthz,root)
  --log-level L     the server's OPSBOX_LOG_LEVEL (default info: one JSON line per request)
  --log-file PATH   where the server's output goes (default a temporary file; /dev/null discards it)
  --cold-starts N   cold starts to time, each way (default 5)
  --entry PATH      the script bun runs (default server/main.ts; scripts/start.ts is what npm start runs)
  --warmup S        seconds of unmeasured load before each target (default 2)
  --idle S          seconds idle before each RSS reading (default 3)
  --json            print the figures as JSON instead of tables`;

const FLAGS = {
  connections: { type: "string", default: "50" },
  duration: { type: "string", default: "10" },
  threads: { type: "string", default: "2" },
  targets: { type: "string", default: "healthz,root" },
  "log-level": { type: "string", default: "info" },
  "log-file": { type: "string" },
  "cold-starts": { type: "string", default: "5" },
  entry: { type: "string", default: "server/main.ts" },
  warmup: { type: "string", default: "2" },
  idle: { type: "string", default: "3" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

const flags = parseFlags();

function parseFlags() {
  try {
    const { values } = parseArgs({ options: FLAGS });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

const wrk = findWrk() ?? fail("wrk is not installed; install wrk: apt-get install wrk");

const wrkOptions: WrkOptions = {
  connections: positiveInt("connections"),
  threads: positiveInt("threads"),
  durationSeconds: positiveInt("duration"),
};
if (wrkOptions.threads > wrkOptions.connections) fail("--threads must not exceed --connections");
const targets: Target[] = (flags.targets ?? "")
  .split(",")
  .filter((name) => name !== "")
  .map((name) => ({
    name,
    ...(TARGETS[name] ?? fail(`unknown target ${name}; choose from ${Object.keys(TARGETS).join(", ")}`)),
  }));
const logLevel = flags["log-level"] ?? "info";
const coldStarts = positiveInt("cold-starts");
const warmupSeconds = nonNegativeInt("warmup");
const idleMs = nonNegativeInt("idle") * 1000;

const workDir = benchWorkDir("opsbox-bench-");
const logFile = flags["log-file"] ?? join(workDir, "server.log");
const entry = resolve(import.meta.dir, "..", flags.entry ?? "server/main.ts");
let serial = 0;
const freshDataDir = () => {
  const dir = join(workDir, `data-${++serial}`);
  mkdirSync(dir);
  return dir;
};

try {
  const results = await measure();
  console.log(flags.json ? JSON.stringify(results, null, 2) : formatReport(results));
} catch (error) {
  progress(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

async function measure(): Promise<BenchResults> {
  progress(`cold start: ${coldStarts} × fresh data dir, ${coldStarts} × migrated data dir`);
  const migratedDir = freshDataDir();
  await (await startBenchServer({ dataDir: migratedDir, logLevel, logFile, entry })).stop();
  const freshMs = await timeColdStarts(coldStarts, freshDataDir);
  const existingMs = await timeColdStarts(coldStarts, () => migratedDir);

  const server = await startBenchServer({ dataDir: freshDataDir(), logLevel, logFile, entry });
  try {
    await checkTargets(server);
    await Bun.sleep(idleMs);
    const idleBeforeLoadBytes = readMemory(server.pid).rssBytes;
    const load: LoadResult[] = [];
    for (const target of targets) load.push(await loadTarget(server, target));
    await Bun.sleep(idleMs);
    const { rssBytes: idleAfterLoadBytes, peakRssBytes: peakBytes } = readMemory(server.pid);
    return {
      machine: describeMachine(wrkVersion(wrk)),
      settings: { ...wrkOptions, logLevel, logFile: flags["log-file"] ?? "a temporary file" },
      coldStart: { freshMs, existingMs, freshMedianMs: median(freshMs), existingMedianMs: median(existingMs) },
      memory: { idleBeforeLoadBytes, idleAfterLoadBytes, peakBytes },
      load,
    };
  } finally {
    await server.stop();
  }
}

async function timeColdStarts(count: number, dataDir: () => string): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < count; run++) {
    const server = await startBenchServer({ dataDir: dataDir(), logLevel, logFile, entry });
    times.push(server.readyMs);
    await server.stop();
  }
  return times;
}

/** One request per target, so that a wrong answer (a 500, or a 200 where a 302 was meant) stops the run. */
async function checkTargets(server: BenchServer): Promise<void> {
  for (const target of targets) {
    const response = await fetch(server.url + target.path, { redirect: "manual" });
    await response.arrayBuffer();
    if (response.status !== target.expectedStatus) {
      throw new Error(`GET ${target.path} answered ${response.status}, expected ${target.expectedStatus}`);
    }
  }
}

async function loadTarget(server: BenchServer, target: Target): Promise<LoadResult> {
  const { name } = target;
  const url = server.url + target.path;
  if (warmupSeconds > 0) {
    progress(`${name}: warm-up ${warmupSeconds} s`);
    await runWrk(wrk, url, { ...wrkOptions, durationSeconds: warmupSeconds });
  }
  progress(`${name}: ${wrkOptions.durationSeconds} s at ${wrkOptions.connections} connections`);
  const before = { wall: performance.now(), server: processCpuSeconds(server.pid), box: boxBusyCpuSeconds() };
  const result = await runWrk(wrk, url, wrkOptions);
  const seconds = (performance.now() - before.wall) / 1000;
  const serverCpu = processCpuSeconds(server.pid) - before.server;
  const otherCpu = boxBusyCpuSeconds() - before.box - serverCpu - result.wrkCpuSeconds;
  const cores = (cpuSeconds: number) => Math.max(0, cpuSeconds) / seconds;
  return {
    target: name,
    label: target.label,
    result,
    cores: { server: cores(serverCpu), wrk: cores(result.wrkCpuSeconds), other: cores(otherCpu) },
  };
}

function positiveInt(flag: keyof typeof flags): number {
  const value = nonNegativeInt(flag);
  if (value === 0) fail(`--${flag} must be a positive whole number`);
  return value;
}

function nonNegativeInt(flag: keyof typeof flags): number {
  const value = Number(flags[flag]);
  if (!Number.isInteger(value) || value < 0) fail(`--${flag} must be a whole number (got ${flags[flag]})`);
  return value;
}
