/**
 * The agents' cost: `bun bench/agents.ts [--orgs 1000] [--ticks 200] [--tasks 100000] [--stuck 3000]`.
 *
 * (a) Scheduler overhead: a fresh migrated database with `--orgs` organisations, each with every
 *     registered agent switched on (`agents.enabled`), and the agents' jobs on a JobScheduler whose
 *     clock is moved by hand, one second per tick, inside an hour where nothing is due. Reports the
 *     first tick (reads the organisations, computes every slot) and p50/p99/max of the idle ticks.
 *     Goal: under 50 ms of work per idle tick.
 * (b) The stuck-task agent in a `--tasks` organisation: 20 people, 20 projects, most tasks active
 *     in the last day, `--stuck` quiet for longer than the threshold (48 h), a tenth done. Times
 *     the plan (the read) and the apply (flags, history, events, audit, notices) of one run, then
 *     a second run an hour later (everything told already). Goal: plan + apply under 2 s.
 *
 * Never run by the tests. The seed is one transaction of prepared statements.
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { agentJobs, builtInAgentDefinitions } from "../server/agents/registry.ts";
import { type AgentDeps, agentContext } from "../server/agents/run.ts";
import { ENABLED_KEY, settingsOf } from "../server/agents/settings.ts";
import { stuckTasksAgent, type stuckTasksSettings } from "../server/agents/stuck-tasks.ts";
import { loadConfig } from "../server/config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { JobScheduler } from "../server/jobs/scheduler.ts";
import { systemJobs } from "../server/jobs/system-jobs.ts";
import { migrate } from "../server/migrate.ts";
import { makeTempDir, testEnv } from "../server/testing/harness.ts";
import { newId } from "../server/tools/ids.ts";
import { createKeyring } from "../server/tools/secrets.ts";

const { values } = parseArgs({
  options: {
    orgs: { type: "string", default: "1000" },
    ticks: { type: "string", default: "200" },
    tasks: { type: "string", default: "100000" },
    stuck: { type: "string", default: "3000" },
  },
});
const HOUR = 3_600_000;
type StuckSettings = z.output<typeof stuckTasksSettings>;
const log = createLogger("fatal");
const agentIds = builtInAgentDefinitions.map((agent) => agent.id);
console.log(`load average before: ${loadavg()[0]?.toFixed(2)}; agents: ${agentIds.join(", ")}`);

const benchDeps = (db: Db, dir: string): AgentDeps => ({
  db,
  log,
  keyring: createKeyring(new Uint8Array(32).fill(1)),
  baseUrl: "http://bench",
  dataDir: dir,
});
const ms = (start: number) => (performance.now() - start).toFixed(1);

async function schedulerOverhead(orgCount: number, ticks: number): Promise<void> {
  const dir = makeTempDir("opsbox-bench-agents-");
  const db = openDatabase(databasePath(dir));
  migrate(db);
  const client = db.$client;
  const now = Date.now();
  const insertOrg = client.prepare(
    "INSERT INTO organizations (id, name, industry, compliance_level, policy) VALUES (?, ?, 'general', 'basic', '{}')",
  );
  const enable = client.prepare(
    "INSERT INTO organization_settings (org_id, key, value, updated_at) VALUES (?, ?, ?, ?)",
  );
  client.transaction(() => {
    for (let index = 0; index < orgCount; index++) {
      const id = newId("org");
      insertOrg.run(id, `Org ${index}`);
      enable.run(id, ENABLED_KEY, JSON.stringify(agentIds), now);
    }
  })();
  const deps = benchDeps(db, dir);
  // 10:30:00 UTC: the hourly agents are next due at 11:00, so no tick below starts a run.
  let clock = new Date("2030-01-07T10:30:00Z");
  // The box's own jobs too (the queues' event jobs read what waits on every tick; scheduled reports
  // per organisation), as a running server has them.
  const box = systemJobs({ db, config: loadConfig(testEnv(dir)), log, keyring: deps.keyring });
  const scheduler = new JobScheduler({
    db,
    log,
    jobs: [...box, ...agentJobs(deps)],
    baseUrl: "http://bench",
    now: () => clock,
  });
  let started = performance.now();
  const first = scheduler.tick();
  const firstMs = ms(started);
  // The first tick starts the jobs that run at start (retention, housekeeping…): let them end.
  await Bun.sleep(2_000);
  const times: number[] = [];
  let startedRuns = 0;
  for (let index = 0; index < ticks; index++) {
    clock = new Date(clock.getTime() + 1_000);
    started = performance.now();
    // The box's minutely and five-minutely jobs start runs now and then; the agents never do here.
    startedRuns += scheduler.tick();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const agentRuns = client
    .query<{ runs: number }, string[]>(
      `SELECT count(*) AS runs FROM job_runs WHERE job_id IN (${agentIds.map(() => "?").join(",")})`,
    )
    .get(...agentIds)?.runs;
  const at = (share: number) => (times[Math.min(times.length - 1, Math.floor(times.length * share))] ?? 0).toFixed(2);
  const slots = orgCount * agentIds.length;
  console.log(
    `(a) ${orgCount} organisations × ${agentIds.length} agents switched on = ${slots} slots, with the box's ${box.length} own jobs`,
  );
  console.log(`    first tick (reads organisations, computes every slot): ${firstMs} ms, ${first} runs started`);
  console.log(
    `    tick over ${ticks} ticks: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (goal: < 50 ms); ${startedRuns} runs of the box's frequent jobs started, ${agentRuns} of an agent`,
  );
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

function stuckTaskRun(taskCount: number, stuckCount: number): void {
  const dir = makeTempDir("opsbox-bench-stuck-");
  const db = openDatabase(databasePath(dir));
  migrate(db);
  const client = db.$client;
  const now = new Date("2030-01-07T10:30:00Z");
  const orgId = newId("org");
  const seedStart = performance.now();
  const people = Array.from({ length: 20 }, () => newId("usr"));
  const projectIds = Array.from({ length: 20 }, () => newId("prj"));
  const insertTask = client.prepare(
    "INSERT INTO tasks (id, org_id, project_id, title, status, assignee_id, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  client.transaction(() => {
    client
      .prepare(
        "INSERT INTO organizations (id, name, industry, compliance_level, policy) VALUES (?, 'Big', 'general', 'basic', '{}')",
      )
      .run(orgId);
    const user = client.prepare("INSERT INTO users (id, email, name, status) VALUES (?, ?, ?, 'active')");
    const member = client.prepare("INSERT INTO memberships (id, org_id, user_id, role) VALUES (?, ?, ?, 'member')");
    people.forEach((id, index) => {
      user.run(id, `person${index}@bench.test`, `Person ${index}`);
      member.run(newId("mem"), orgId, id);
    });
    const project = client.prepare("INSERT INTO projects (id, org_id, name, code, owner_id) VALUES (?, ?, ?, ?, ?)");
    projectIds.forEach((id, index) => {
      project.run(id, orgId, `Project ${index}`, `P${index}`, people[index] ?? null);
    });
    // Every stuck task is one of the first `stuckCount` open ones; the rest were active in the last day.
    for (let index = 0; index < taskCount; index++) {
      const quiet = index < stuckCount;
      const activity = now.getTime() - (quiet ? 50 * HOUR + index * 1_000 : (index % 24) * HOUR);
      const status = !quiet && index % 10 === 0 ? "done" : "todo";
      insertTask.run(
        newId("tsk"),
        orgId,
        projectIds[index % projectIds.length] ?? null,
        `Task ${index}`,
        status,
        people[index % people.length] ?? null,
        activity,
      );
    }
  })();
  console.log(`(b) seeded ${taskCount} tasks (${stuckCount} quiet past 48 h) in ${ms(seedStart)} ms`);
  const deps = benchDeps(db, dir);
  const runAt = (at: Date, label: string) => {
    const work = {
      ctx: agentContext(deps, orgId, stuckTasksAgent),
      settings: settingsOf<StuckSettings>(db, orgId, stuckTasksAgent),
      now: at,
      baseUrl: deps.baseUrl,
      dataDir: dir,
      log: () => {},
    };
    let started = performance.now();
    const plan = stuckTasksAgent.plan(work);
    const planMs = performance.now() - started;
    started = performance.now();
    const result = stuckTasksAgent.apply(work, plan);
    const applyMs = performance.now() - started;
    const summary = result instanceof Promise ? "(async)" : result.summary;
    console.log(
      `    ${label}: plan ${planMs.toFixed(1)} ms + apply ${applyMs.toFixed(1)} ms = ${(planMs + applyMs).toFixed(1)} ms (goal: < 2000 ms): ${summary}`,
    );
  };
  runAt(now, "first run");
  runAt(new Date(now.getTime() + HOUR), "an hour later");
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}

await schedulerOverhead(Number(values.orgs), Number(values.ticks));
stuckTaskRun(Number(values.tasks), Number(values.stuck));
