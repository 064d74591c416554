/**
 * Workspace benchmark (issue 4): seeds 100,000 tasks with bench/seed-workspace.ts, starts
 * `bun server/main.ts` on that data (synchronous=FULL, as shipped) and drives it with wrk on the
 * same box: the API task list (page of 20 filtered by status and assignee), the console task
 * list page, and task creation through the API. bench/RESULTS.md records the figures.
 *   bun bench/workspace.ts [--tasks 100000] [--duration 10] [--connections 50] [--json]
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchWorkDir, fail, pickTargets, progress } from "./cli.ts";
import { boxBusyCpuSeconds, processCpuSeconds } from "./cpu.ts";
import { describeMachine } from "./machine.ts";
import { formatMB, formatMs, formatRps } from "./report.ts";
import { type SeedCredentials, seedWorkspace } from "./seed-workspace.ts";
import { readMemory, startBenchServer } from "./server.ts";
import { errorCount, findWrk, runWrk, type WrkOptions, type WrkResult, wrkVersion } from "./wrk.ts";

type Target = {
  name: string;
  label: string;
  goal: { rps: number; p95Ms: number | null };
  request: (credentials: SeedCredentials) => Pick<WrkOptions, "headers" | "method" | "body"> & { path: string };
  expectedStatus: number;
};

const TARGETS: Target[] = [
  {
    name: "api-list",
    label: "GET /api/v1/tasks?status=todo&assigneeId=…&limit=20 (API key)",
    goal: { rps: 3_000, p95Ms: 30 },
    expectedStatus: 200,
    request: (credentials) => ({
      path: `/api/v1/tasks?status=todo&assigneeId=${credentials.userId}&limit=20`,
      headers: [`Authorization: Bearer ${credentials.apiKey}`],
    }),
  },
  {
    name: "console-list",
    label: "GET /tasks?status=todo&assigneeId=… (console page, session)",
    goal: { rps: 1_500, p95Ms: 50 },
    expectedStatus: 200,
    request: (credentials) => ({
      path: `/tasks?status=todo&assigneeId=${credentials.userId}`,
      headers: [`Cookie: ${credentials.sessionCookie}`],
    }),
  },
  {
    name: "create",
    label: "POST /api/v1/tasks (API key, synchronous=FULL)",
    goal: { rps: 2_000, p95Ms: null },
    expectedStatus: 201,
    request: (credentials) => ({
      path: "/api/v1/tasks",
      method: "POST",
      headers: [`Authorization: Bearer ${credentials.apiKey}`, "Content-Type: application/json"],
      body: JSON.stringify({
        title: "Benchmark task",
        priority: "high",
        assigneeId: credentials.userId,
        projectId: credentials.projectId,
        labels: ["bench"],
      }),
    }),
  },
];

const { values: flags } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "2" },
    warmup: { type: "string", default: "2" },
    targets: { type: "string", default: TARGETS.map((target) => target.name).join(",") },
    json: { type: "boolean", default: false },
  },
});

const wrk = findWrk() ?? fail("wrk is not installed; install wrk: apt-get install wrk");
const wrkOptions: WrkOptions = {
  connections: Number(flags.connections),
  threads: Number(flags.threads),
  durationSeconds: Number(flags.duration),
};
const chosen = pickTargets(flags.targets, TARGETS);

const workDir = benchWorkDir("opsbox-bench-workspace-");

try {
  progress(`seeding ${flags.tasks} tasks`);
  process.env.OPSBOX_DATA_DIR = join(workDir, "data");
  const seedStarted = performance.now();
  const credentials = await seedWorkspace(Number(flags.tasks));
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const server = await startBenchServer({
    dataDir: process.env.OPSBOX_DATA_DIR,
    logLevel: "info",
    logFile: join(workDir, "server.log"),
    // One key drives the whole load: its per-minute limit must not be what is measured.
    env: { OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "1000000000" },
  });
  const results: { target: Target; result: WrkResult; serverCores: number }[] = [];
  try {
    for (const target of chosen) {
      const request = target.request(credentials);
      const url = server.url + request.path;
      const check = await fetch(url, {
        method: request.method ?? "GET",
        body: request.body,
        headers: Object.fromEntries(
          (request.headers ?? []).map((header) => header.split(/:\s*/, 2) as [string, string]),
        ),
        redirect: "manual",
      });
      const text = await check.text();
      if (check.status !== target.expectedStatus) {
        throw new Error(
          `${target.name}: answered ${check.status}, expected ${target.expectedStatus}: ${text.slice(0, 300)}`,
        );
      }
      const options = { ...wrkOptions, ...request };
      if (Number(flags.warmup) > 0) {
        progress(`${target.name}: warm-up`);
        await runWrk(wrk, url, { ...options, durationSeconds: Number(flags.warmup) });
      }
      progress(`${target.name}: ${wrkOptions.durationSeconds} s at ${wrkOptions.connections} connections`);
      const before = { wall: performance.now(), server: processCpuSeconds(server.pid), box: boxBusyCpuSeconds() };
      const result = await runWrk(wrk, url, options);
      const seconds = (performance.now() - before.wall) / 1000;
      results.push({ target, result, serverCores: (processCpuSeconds(server.pid) - before.server) / seconds });
    }
    const memory = readMemory(server.pid);
    const report = {
      machine: describeMachine(wrkVersion(wrk)),
      tasks: credentials.tasks,
      seedSeconds,
      settings: wrkOptions,
      rssAfterLoadBytes: memory.rssBytes,
      load: results.map(({ target, result, serverCores }) => ({
        target: target.name,
        label: target.label,
        requestsPerSec: result.requestsPerSec,
        latencyMs: {
          p50: result.latencyUs.p50 / 1000,
          p95: result.latencyUs.p95 / 1000,
          p99: result.latencyUs.p99 / 1000,
        },
        errors: errorCount(result),
        serverCores,
        goal: target.goal,
        met:
          result.requestsPerSec >= target.goal.rps &&
          (target.goal.p95Ms === null || result.latencyUs.p95 / 1000 < target.goal.p95Ms) &&
          errorCount(result) === 0,
      })),
    };
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
  } finally {
    await server.stop();
  }
} catch (error) {
  progress(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

function printReport(report: {
  machine: ReturnType<typeof describeMachine>;
  tasks: number;
  seedSeconds: number;
  rssAfterLoadBytes: number;
  load: {
    label: string;
    requestsPerSec: number;
    latencyMs: { p50: number; p95: number; p99: number };
    errors: number;
    serverCores: number;
    goal: Target["goal"];
    met: boolean;
  }[];
}): void {
  console.log(
    `machine: ${report.machine.cpu} × ${report.machine.cores}, ${report.machine.os}, bun ${report.machine.bun}`,
  );
  console.log(`seeded ${report.tasks.toLocaleString("en")} tasks in ${report.seedSeconds.toFixed(1)} s`);
  console.log(
    `${wrkOptions.connections} connections, ${wrkOptions.threads} wrk threads, ${wrkOptions.durationSeconds} s each\n`,
  );
  console.log("| target | req/s | p50 | p95 | p99 | errors | server cores | goal | met |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const row of report.load) {
    const goal = `≥ ${formatRps(row.goal.rps)} req/s${row.goal.p95Ms ? `, p95 < ${row.goal.p95Ms} ms` : ""}`;
    console.log(
      `| ${row.label} | ${formatRps(row.requestsPerSec)} | ${formatMs(row.latencyMs.p50)} | ${formatMs(row.latencyMs.p95)} | ${formatMs(row.latencyMs.p99)} | ${row.errors} | ${row.serverCores.toFixed(2)} | ${goal} | ${row.met ? "yes" : "NO"} |`,
    );
  }
  console.log(`\nserver RSS after load: ${formatMB(report.rssAfterLoadBytes)}`);
}
