/**
 * Opsbox against its floor (issue 13): seeds the workspace benchmark's box (bench/seed-workspace.ts),
 * copies its database for bench/floor-server.ts (bare Hono + bun:sqlite doing the same work),
 * starts both, and drives each target with wrk on the floor and on Opsbox back to back, so that
 * every Opsbox figure is read as a percentage of the floor measured a few seconds before it. Then
 * the task list and creation at 200 connections, with errors (must be 0) and p99.
 *   bun bench/floor.ts [--tasks 100000] [--duration 5] [--rounds 1] [--json]
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { databasePath } from "../server/db.ts";
import { benchWorkDir, fail, progress } from "./cli.ts";
import { processCpuSeconds } from "./cpu.ts";
import { type FloorComparison, type FloorRun, printFloorReport } from "./floor-report.ts";
import { startFloorServer } from "./floor-start.ts";
import { describeMachine } from "./machine.ts";
import { type SeedCredentials, seedWorkspace } from "./seed-workspace.ts";
import { startBenchServer } from "./server.ts";
import { findWrk, runWrk, type WrkOptions, wrkVersion } from "./wrk.ts";

type Request = Pick<WrkOptions, "headers" | "method" | "body"> & { path: string; status: number };
type Pair = { name: string; label: string; goalPercent: number | null; floor: Request; opsbox: Request };

function pairs(credentials: SeedCredentials): Pair[] {
  const bearer = `Authorization: Bearer ${credentials.apiKey}`;
  const list: Request = {
    path: `/api/v1/tasks?status=todo&assigneeId=${credentials.userId}&limit=20`,
    headers: [bearer],
    status: 200,
  };
  const create: Request = {
    path: "/api/v1/tasks",
    method: "POST",
    headers: [bearer, "Content-Type: application/json"],
    body: JSON.stringify({
      title: "Benchmark task",
      priority: "high",
      assigneeId: credentials.userId,
      projectId: credentials.projectId,
      labels: ["bench"],
    }),
    status: 201,
  };
  const consoleList: Request = {
    path: `/tasks?status=todo&assigneeId=${credentials.userId}`,
    headers: [`Cookie: ${credentials.sessionCookie}`],
    status: 200,
  };
  return [
    { name: "api-list", label: "API task list", goalPercent: 50, floor: list, opsbox: list },
    // The floor as issue 13 words it: one insert per request, each its own commit.
    {
      name: "create-each",
      label: "task creation, floor committing each insert",
      goalPercent: 90,
      floor: { ...create, path: `${create.path}?each` },
      opsbox: create,
    },
    // A stricter floor: its inserts share commits as Opsbox's do (server/work/tasks/group-commit.ts).
    { name: "create", label: "task creation, floor sharing commits", goalPercent: null, floor: create, opsbox: create },
    // The floor writing what Opsbox writes per task (history row, event, project check, savepoint).
    {
      name: "create-recorded",
      label: "task creation, floor with history and event",
      goalPercent: null,
      floor: { ...create, path: `${create.path}?recorded` },
      opsbox: create,
    },
    // The floor has no pages: the console page is read against the floor's API list.
    { name: "console-list", label: "console task list", goalPercent: 25, floor: list, opsbox: consoleList },
  ];
}

const { values: flags } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    connections: { type: "string", default: "50" },
    "high-connections": { type: "string", default: "200" },
    threads: { type: "string", default: "2" },
    rounds: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
  },
});

const wrk = findWrk() ?? fail("wrk is not installed; install wrk: apt-get install wrk");
const workDir = benchWorkDir("opsbox-bench-floor-");

async function check(url: string, request: Request): Promise<void> {
  const response = await fetch(url, {
    method: request.method ?? "GET",
    body: request.body,
    headers: Object.fromEntries((request.headers ?? []).map((header) => header.split(/:\s*/, 2) as [string, string])),
    redirect: "manual",
  });
  const text = await response.text();
  if (response.status !== request.status) {
    throw new Error(`${url}: answered ${response.status}, expected ${request.status}: ${text.slice(0, 300)}`);
  }
}

async function drive(
  server: { url: string; pid: number },
  request: Request,
  connections: number,
  label: string,
): Promise<FloorRun> {
  const url = server.url + request.path;
  await check(url, request);
  const options: WrkOptions = {
    connections,
    threads: Number(flags.threads),
    durationSeconds: Number(flags.duration),
    ...request,
  };
  if (Number(flags.warmup) > 0) await runWrk(wrk, url, { ...options, durationSeconds: Number(flags.warmup) });
  progress(`${label}: ${options.durationSeconds} s at ${connections} connections`);
  const started = { wall: performance.now(), cpu: processCpuSeconds(server.pid) };
  const result = await runWrk(wrk, url, options);
  const seconds = (performance.now() - started.wall) / 1000;
  // Let queued writes and timers settle before the next run starts.
  await Bun.sleep(300);
  return { result, serverCores: (processCpuSeconds(server.pid) - started.cpu) / seconds };
}

try {
  progress(`seeding ${flags.tasks} tasks`);
  const dataDir = join(workDir, "data");
  process.env.OPSBOX_DATA_DIR = dataDir;
  const credentials = await seedWorkspace(Number(flags.tasks));
  // The seed closed the database with a truncating checkpoint: the file alone is the whole of it.
  mkdirSync(join(workDir, "floor"));
  const floorDb = join(workDir, "floor", "floor.db");
  copyFileSync(databasePath(dataDir), floorDb);

  const floor = await startFloorServer(floorDb, join(workDir, "floor.log"));
  const opsbox = await startBenchServer({
    dataDir,
    logLevel: "info",
    logFile: join(workDir, "server.log"),
    // One key drives the whole load: its per-minute limit must not be what is measured.
    env: { OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "1000000000" },
  });
  try {
    const comparisons: FloorComparison[] = [];
    const connections = Number(flags.connections);
    const high = Number(flags["high-connections"]);
    for (let round = 1; round <= Number(flags.rounds); round++) {
      for (const pair of pairs(credentials)) {
        comparisons.push({
          name: pair.name,
          label: pair.label,
          connections,
          goalPercent: pair.goalPercent,
          floor: await drive(floor, pair.floor, connections, `floor ${pair.name}`),
          opsbox: await drive(opsbox, pair.opsbox, connections, `opsbox ${pair.name}`),
        });
      }
    }
    for (const pair of pairs(credentials).filter((candidate) => ["api-list", "create"].includes(candidate.name))) {
      comparisons.push({
        name: `${pair.name}@${high}`,
        label: pair.label,
        connections: high,
        goalPercent: null,
        floor: await drive(floor, pair.floor, high, `floor ${pair.name}`),
        opsbox: await drive(opsbox, pair.opsbox, high, `opsbox ${pair.name}`),
      });
    }
    const report = { machine: describeMachine(wrkVersion(wrk)), tasks: credentials.tasks, comparisons };
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else printFloorReport(report);
  } finally {
    await opsbox.stop();
    await floor.stop();
  }
} catch (error) {
  progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
