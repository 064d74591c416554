/**
 * The job scheduler's overhead: `bun bench/jobs.ts [--orgs 1000] [--jobs 8] [--ticks 200]`.
 *
 * A fresh migrated database with `--orgs` organisations and `--jobs` hourly jobs per
 * organisation (8,000 slots by default). After the first tick (which reads the organisations
 * and computes every slot's next time), each further tick finds nothing due: it reads the
 * waiting runs and the quarantines (both empty) and compares every slot's next time with now.
 * Reports the first tick and p50/p99/max of the idle ticks. Goal: under 50 ms per idle tick.
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { organizations } from "../models/identity.ts";
import { closeDatabase, databasePath, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import type { JobDefinition } from "../server/jobs/definition.ts";
import { JobScheduler } from "../server/jobs/scheduler.ts";
import { migrate } from "../server/migrate.ts";
import { makeTempDir } from "../server/testing/harness.ts";
import { newId } from "../server/tools/ids.ts";

const { values } = parseArgs({
  options: {
    orgs: { type: "string", default: "1000" },
    jobs: { type: "string", default: "8" },
    ticks: { type: "string", default: "200" },
  },
});
const orgCount = Number(values.orgs);
const jobCount = Number(values.jobs);
const ticks = Number(values.ticks);

const dir = makeTempDir("opsbox-bench-jobs-");
const db = openDatabase(databasePath(dir));
migrate(db);
db.transaction((tx) => {
  for (let index = 0; index < orgCount; index++)
    tx.insert(organizations)
      .values({ id: newId("org"), name: `Org ${index}`, industry: "general", complianceLevel: "basic", policy: {} })
      .run();
});
const jobs: JobDefinition[] = Array.from({ length: jobCount }, (_, index) => ({
  id: `bench.job${index}`,
  title: `Bench job ${index}`,
  description: "Never due during the benchmark.",
  scope: "organization",
  schedule: { cron: `${index} * * * *` },
  timeoutMs: 60_000,
  run: () => undefined,
}));
// 10:30:00 UTC: every job is due at minute 0–7 of the next hour, so no tick below starts a run.
let now = new Date("2030-01-07T10:30:00Z");
const scheduler = new JobScheduler({ db, log: createLogger("fatal"), jobs, baseUrl: "http://bench", now: () => now });

const load = loadavg()[0]?.toFixed(2);
let started = performance.now();
const first = scheduler.tick();
const firstMs = performance.now() - started;
const times: number[] = [];
for (let index = 0; index < ticks; index++) {
  now = new Date(now.getTime() + 1_000);
  started = performance.now();
  if (scheduler.tick() !== 0) throw new Error("a run started: the benchmark's clock is wrong");
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (share: number) => (times[Math.min(times.length - 1, Math.floor(times.length * share))] ?? 0).toFixed(2);
console.log(
  `load average before: ${load}; ${orgCount} organisations × ${jobCount} jobs = ${orgCount * jobCount} slots`,
);
console.log(`first tick (reads organisations, computes every slot): ${firstMs.toFixed(1)} ms, ${first} runs started`);
console.log(`idle tick over ${ticks} ticks: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (goal: < 50 ms)`);
closeDatabase(db);
rmSync(dir, { recursive: true, force: true });
