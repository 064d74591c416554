/**
 * Where Opsbox's time goes per request, against the floor (issue 13), in process and without
 * the network: the workspace benchmark's box is seeded, Opsbox is started in this process
 * (logging to a file, as under the load bench) and its app copied with every handler timed
 * (bench/floor-timing.ts); then the API task list, the console task list and task creation are
 * answered through `app.fetch` in a loop, and the same through the floor's app
 * (bench/floor-server.ts) on a copy of the database. Creation runs in batches of 50 at once, so
 * that the shared commit is paid as under load. Prints µs per request for each handler.
 *   bun bench/floor-profile.ts [--tasks 100000] [--requests 4000] [--only create,api-list] [--json]
 * With `bun --cpu-prof-md` in front, Bun's profiler says which functions inside them cost most.
 */
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { databasePath } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { startServer } from "../server/main.ts";
import { benchWorkDir, progress } from "./cli.ts";
import { floorApp } from "./floor-server.ts";
import { type SelfTimes, timedCopy } from "./floor-timing.ts";
import { describeMachine } from "./machine.ts";
import { seedWorkspace } from "./seed-workspace.ts";

const { values: flags } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    requests: { type: "string", default: "4000" },
    json: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const REQUESTS = Number(flags.requests);
const BATCH = 50;

type Fetch = (request: Request) => Response | Promise<Response>;
type Target = { name: string; make: () => Request; batch: number; status: number };

// What Bun.serve hands app.fetch as its env: getConnInfo reads the peer from it.
const serverEnv = { requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 40000 }) };

async function perRequestUs(fetch: Fetch, target: Target, count: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < count; done += target.batch) {
    const responses = await Promise.all(Array.from({ length: target.batch }, () => fetch(target.make())));
    for (const response of responses) {
      await response.arrayBuffer();
      if (response.status !== target.status) throw new Error(`${target.name}: ${response.status}`);
    }
  }
  return ((performance.now() - started) * 1000) / count;
}

const workDir = benchWorkDir("opsbox-bench-floor-profile-");
try {
  progress(`seeding ${flags.tasks} tasks`);
  const dataDir = join(workDir, "data");
  process.env.OPSBOX_DATA_DIR = dataDir;
  const credentials = await seedWorkspace(Number(flags.tasks));
  const floorDb = join(workDir, "floor.db");
  copyFileSync(databasePath(dataDir), floorDb);

  const running = await startServer({
    env: {
      OPSBOX_DATA_DIR: dataDir,
      OPSBOX_LOG_LEVEL: "info",
      PORT: "0",
      HOST: "127.0.0.1",
      OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "1000000000",
    },
    log: createLogger("info", pino.destination({ dest: join(workDir, "server.log"), sync: true })),
  });
  const floor = floorApp(floorDb);
  const timed = timedCopy(running.app);
  const base = "http://127.0.0.1";
  const bearer = { Authorization: `Bearer ${credentials.apiKey}` };
  const listPath = `/api/v1/tasks?status=todo&assigneeId=${credentials.userId}&limit=20`;
  const body = JSON.stringify({
    title: "Benchmark task",
    priority: "high",
    assigneeId: credentials.userId,
    projectId: credentials.projectId,
    labels: ["bench"],
  });
  const targets: Target[] = [
    { name: "api-list", batch: 1, status: 200, make: () => new Request(base + listPath, { headers: bearer }) },
    {
      name: "create",
      batch: BATCH,
      status: 201,
      make: () =>
        new Request(`${base}/api/v1/tasks`, {
          method: "POST",
          body,
          headers: { ...bearer, "Content-Type": "application/json" },
        }),
    },
    {
      name: "console-list",
      batch: 1,
      status: 200,
      make: () =>
        new Request(`${base}/tasks?status=todo&assigneeId=${credentials.userId}`, {
          headers: { Cookie: credentials.sessionCookie },
        }),
    },
  ];
  const opsboxFetch: Fetch = (request) => running.app.fetch(request, serverEnv);
  const timedFetch: Fetch = (request) => timed.app.fetch(request, serverEnv);
  const floorFetch: Fetch = (request) => floor.app.fetch(request, serverEnv);
  const rows: { target: string; floorUs: number | null; opsboxUs: number; parts: [string, number][] }[] = [];
  const only = flags.only?.split(",");
  for (const target of targets) {
    if (only && !only.includes(target.name)) continue;
    progress(`${target.name}: ${REQUESTS} requests`);
    const floorTarget = target.name === "console-list" ? targets[0] : target;
    // Warm-up: prepared statements, caches, JIT.
    await perRequestUs(opsboxFetch, target, Math.min(REQUESTS, 1000));
    await perRequestUs(timedFetch, target, Math.min(REQUESTS, 1000));
    if (floorTarget) await perRequestUs(floorFetch, floorTarget, Math.min(REQUESTS, 1000));
    const floorUs = floorTarget ? await perRequestUs(floorFetch, floorTarget, REQUESTS) : null;
    const opsboxUs = await perRequestUs(opsboxFetch, target, REQUESTS);
    timed.times.clear();
    await perRequestUs(timedFetch, target, REQUESTS);
    rows.push({ target: target.name, floorUs, opsboxUs, parts: perRequest(timed.times) });
  }
  floor.close();
  await running.stop("profile done");
  const report = { machine: describeMachine("not used"), tasks: credentials.tasks, requests: REQUESTS, rows };
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else print(report.rows);
} catch (error) {
  progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

function perRequest(times: SelfTimes): [string, number][] {
  return [...times.entries()]
    .map(([label, us]): [string, number] => [label, us / REQUESTS])
    .sort((a, b) => b[1] - a[1]);
}

function print(rows: { target: string; floorUs: number | null; opsboxUs: number; parts: [string, number][] }[]): void {
  for (const row of rows) {
    const handled = row.parts.reduce((sum, [, us]) => sum + us, 0);
    console.log(
      `\n### ${row.target}: Opsbox ${row.opsboxUs.toFixed(0)} µs/request, floor ${row.floorUs?.toFixed(0) ?? "-"} µs`,
    );
    console.log("\n| handler (own time) | µs/request |\n|---|---|");
    for (const [label, us] of row.parts) console.log(`| ${label} | ${us.toFixed(1)} |`);
    console.log(`| (sum of handlers) | ${handled.toFixed(1)} |`);
  }
}
