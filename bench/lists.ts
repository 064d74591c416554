/**
 * Lists benchmark (issue 4, "every list is fast on 100,000 rows"): seeds one organisation with
 * 100,000 rows of each kind (bench/seed-lists.ts), then for every list of the API and the console
 * other than tasks (bench/workspace.ts has those):
 *   1. the query plans: the request is answered once by an in-process server whose SQLite
 *      statements are recorded and timed; each statement's EXPLAIN QUERY PLAN is checked for a
 *      full SCAN or a temporary B-tree over one of the big tables;
 *   2. the load: `bun server/main.ts` in its own process (as shipped), driven by wrk.
 * bench/RESULTS.md records the figures.
 *   bun bench/lists.ts [--rows 100000] [--duration 5] [--connections 50] [--targets a,b] [--json]
 */
import { Database, type Statement } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { databasePath } from "../server/db.ts";
import { startServer } from "../server/main.ts";
import { benchWorkDir, pickTargets, progress } from "./cli.ts";
import { processCpuSeconds } from "./cpu.ts";
import { describeMachine } from "./machine.ts";
import { formatMs, formatRps } from "./report.ts";
import { type ListsCredentials, seedLists } from "./seed-lists.ts";
import { startBenchServer } from "./server.ts";
import { errorCount, findWrk, runWrk, type WrkOptions, type WrkResult, wrkVersion } from "./wrk.ts";

type Target = {
  name: string;
  /** The request path; the API ones go with the API key, the console ones with the session. */
  path: (credentials: ListsCredentials) => string;
  via: "api" | "console";
};

const BIG_TABLES = [
  "tasks",
  "projects",
  "customers",
  "invoices",
  "time_entries",
  "equipment",
  "approval_requests",
  "domain_events",
];

/** Monday and Sunday of this week (UTC), `YYYY-MM-DD`. */
function thisWeek(): { from: string; to: string } {
  const today = new Date();
  const monday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}
const week = thisWeek();
const quarterAgo = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

const TARGETS: Target[] = [
  { name: "api-projects", via: "api", path: () => "/api/v1/projects" },
  { name: "api-projects-active", via: "api", path: () => "/api/v1/projects?status=active" },
  { name: "api-customers", via: "api", path: () => "/api/v1/customers" },
  { name: "api-invoices", via: "api", path: () => "/api/v1/invoices" },
  { name: "api-invoices-sent", via: "api", path: () => "/api/v1/invoices?status=sent" },
  { name: "api-invoices-customer", via: "api", path: (c) => `/api/v1/invoices?customerId=${c.customerId}` },
  {
    name: "api-time-me-week",
    via: "api",
    path: () => `/api/v1/time-entries?userId=me&from=${week.from}&to=${week.to}`,
  },
  { name: "api-time-all", via: "api", path: () => "/api/v1/time-entries?userId=all" },
  {
    name: "api-time-all-quarter",
    via: "api",
    path: () => `/api/v1/time-entries?userId=all&from=${quarterAgo}&to=${week.to}`,
  },
  { name: "api-equipment", via: "api", path: () => "/api/v1/equipment" },
  { name: "api-approvals", via: "api", path: () => "/api/v1/approvals" },
  { name: "api-approvals-pending", via: "api", path: () => "/api/v1/approvals?status=pending" },
  { name: "api-approvals-waiting", via: "api", path: () => "/api/v1/approvals?waitingOn=me" },
  { name: "api-events", via: "api", path: () => "/api/v1/events?format=json" },
  { name: "page-projects", via: "console", path: () => "/projects" },
  { name: "page-invoices", via: "console", path: () => "/invoices" },
  { name: "page-customers", via: "console", path: () => "/customers" },
  { name: "page-equipment", via: "console", path: () => "/equipment" },
  { name: "page-approvals", via: "console", path: () => "/approvals" },
  { name: "page-time", via: "console", path: () => "/time" },
  { name: "page-pulse", via: "console", path: () => "/" },
  { name: "page-reports", via: "console", path: () => "/reports" },
];

const { values: flags } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "2" },
    warmup: { type: "string", default: "1" },
    targets: { type: "string", default: TARGETS.map((target) => target.name).join(",") },
    json: { type: "boolean", default: false },
  },
});

const wrk = findWrk();
const wrkOptions: WrkOptions = {
  connections: Number(flags.connections),
  threads: Number(flags.threads),
  durationSeconds: Number(flags.duration),
};
const chosen = pickTargets(flags.targets, TARGETS);

function headersOf(target: Target, credentials: ListsCredentials): string[] {
  return target.via === "api"
    ? [`Authorization: Bearer ${credentials.apiKey}`]
    : [`Cookie: ${credentials.sessionCookie}`, "Accept: text/html"];
}

// ---- 1. Statements and their plans --------------------------------------------------------

type Recorded = { sql: string; ms: number };
type StatementPlan = { sql: string; ms: number; plan: string[]; flags: string[] };

let recording: Recorded[] | null = null;

/** Wraps a statement's run methods so that, while recording, each call's SQL and time is kept. */
function timed<S extends Statement>(statement: S, sqlText: string): S {
  const marked = statement as S & { __benchTimed?: true };
  if (marked.__benchTimed) return statement;
  marked.__benchTimed = true;
  for (const method of ["all", "get", "values", "run", "iterate"] as const) {
    const original = (statement as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
    if (typeof original !== "function") continue;
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (!recording) return original.apply(statement, args);
      const started = performance.now();
      try {
        return original.apply(statement, args);
      } finally {
        recording?.push({ sql: sqlText, ms: performance.now() - started });
      }
    };
  }
  return statement;
}

function recordStatements(): void {
  const prototype = Database.prototype as unknown as Record<string, (sql: string, ...rest: unknown[]) => Statement>;
  for (const method of ["prepare", "query"] as const) {
    const original = prototype[method];
    if (!original) continue;
    prototype[method] = function (this: Database, sqlText: string, ...rest: unknown[]) {
      return timed(original.call(this, sqlText, ...rest), sqlText);
    };
  }
}

/** Plan lines that read a whole big table, or sort/group through a temporary B-tree next to one. */
function flagsOf(plan: string[]): string[] {
  const touchesBig = plan.some((line) =>
    BIG_TABLES.some((table) => new RegExp(`^(SCAN|SEARCH) ${table}\\b`).test(line)),
  );
  return plan.filter(
    (line) =>
      BIG_TABLES.some((table) => new RegExp(`^SCAN ${table}\\b`).test(line)) ||
      (touchesBig && line.startsWith("USE TEMP B-TREE")),
  );
}

async function planTargets(
  dataDir: string,
  credentials: ListsCredentials,
  targets: Target[],
): Promise<Map<string, StatementPlan[]>> {
  recordStatements();
  const running = await startServer({
    env: {
      OPSBOX_DATA_DIR: dataDir,
      OPSBOX_LOG_LEVEL: "silent",
      PORT: "0",
      HOST: "127.0.0.1",
      OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "1000000000",
    },
  });
  const explain = new Database(databasePath(dataDir), { readonly: true });
  const plans = new Map<string, StatementPlan[]>();
  try {
    for (const target of targets) {
      const headers = Object.fromEntries(
        headersOf(target, credentials).map((header) => header.split(/:\s*/, 2) as [string, string]),
      );
      // Twice untimed (caches, prepared statements), then the recorded one.
      for (let attempt = 0; attempt < 3; attempt++) {
        recording = attempt === 2 ? [] : null;
        const response = await fetch(running.url + target.path(credentials), { headers, redirect: "manual" });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${target.name}: answered ${response.status}, expected 200`);
      }
      const recorded = recording ?? [];
      recording = null;
      const seen = new Map<string, StatementPlan>();
      for (const { sql, ms } of recorded) {
        const known = seen.get(sql);
        if (known) {
          known.ms += ms;
          continue;
        }
        let plan: string[];
        try {
          plan = explain
            .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${sql}`)
            .all()
            .map((row) => row.detail);
        } catch {
          plan = [];
        }
        seen.set(sql, { sql, ms, plan, flags: flagsOf(plan) });
      }
      plans.set(target.name, [...seen.values()]);
    }
  } finally {
    explain.close();
    await running.stop("bench: plans done");
  }
  return plans;
}

/** The statements over a big table, slowest first. */
function bigStatements(statements: StatementPlan[]): StatementPlan[] {
  return statements
    .filter((statement) => statement.plan.some((line) => BIG_TABLES.some((table) => line.includes(` ${table}`))))
    .sort((a, b) => b.ms - a.ms);
}

// ---- 2. Load ---------------------------------------------------------------------------------

type Row = {
  target: string;
  path: string;
  requestsPerSec: number | null;
  latencyMs: { p50: number; p95: number; p99: number } | null;
  errors: number | null;
  errorKinds: WrkResult["errors"] | null;
  serverCores: number | null;
  /** In-process, one request: the time of its SQL statements, the slowest one, their count. */
  sqlMs: number;
  slowestSqlMs: number;
  statements: number;
  /** Plan lines with a full scan or a temporary B-tree over a big table, each with its statement. */
  flagged: { sql: string; ms: number; lines: string[] }[];
  slowestPlan: string[];
};

const workDir = benchWorkDir("opsbox-bench-lists-");

try {
  const dataDir = join(workDir, "data");
  process.env.OPSBOX_DATA_DIR = dataDir;
  progress(`seeding ${flags.rows} rows of each kind`);
  const seedStarted = performance.now();
  const credentials = await seedLists(Number(flags.rows));
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  progress("recording each list's statements and plans");
  const plans = await planTargets(dataDir, credentials, chosen);

  const loads = new Map<string, { result: WrkResult; serverCores: number }>();
  if (!wrk) progress("wrk is not installed (apt-get install wrk): plans only, no load figures");
  else {
    const server = await startBenchServer({
      dataDir,
      logLevel: "info",
      logFile: join(workDir, "server.log"),
      env: { OPSBOX_API_KEY_REQUESTS_PER_MINUTE: "1000000000" },
    });
    try {
      for (const target of chosen) {
        const url = server.url + target.path(credentials);
        const options = { ...wrkOptions, headers: headersOf(target, credentials) };
        if (Number(flags.warmup) > 0) await runWrk(wrk, url, { ...options, durationSeconds: Number(flags.warmup) });
        progress(`${target.name}: ${wrkOptions.durationSeconds} s at ${wrkOptions.connections} connections`);
        const before = { wall: performance.now(), server: processCpuSeconds(server.pid) };
        const result = await runWrk(wrk, url, options);
        const seconds = (performance.now() - before.wall) / 1000;
        loads.set(target.name, { result, serverCores: (processCpuSeconds(server.pid) - before.server) / seconds });
        // A slow list leaves requests queued after wrk stops: let them finish before the next target.
        await drain(server.url);
      }
    } finally {
      await server.stop();
    }
  }

  const rows: Row[] = chosen.map((target) => {
    const statements = plans.get(target.name) ?? [];
    const big = bigStatements(statements);
    const load = loads.get(target.name);
    return {
      target: target.name,
      path: target.path(credentials).replace(credentials.customerId, "cus_…"),
      requestsPerSec: load?.result.requestsPerSec ?? null,
      latencyMs: load
        ? {
            p50: load.result.latencyUs.p50 / 1000,
            p95: load.result.latencyUs.p95 / 1000,
            p99: load.result.latencyUs.p99 / 1000,
          }
        : null,
      errors: load ? errorCount(load.result) : null,
      errorKinds: load?.result.errors ?? null,
      serverCores: load?.serverCores ?? null,
      sqlMs: statements.reduce((sum, statement) => sum + statement.ms, 0),
      slowestSqlMs: big[0]?.ms ?? 0,
      statements: statements.length,
      flagged: big
        .filter((statement) => statement.flags.length > 0)
        .map((statement) => ({ sql: statement.sql, ms: statement.ms, lines: statement.flags })),
      slowestPlan: big[0]?.plan ?? [],
    };
  });
  const report = {
    machine: describeMachine(wrk ? wrkVersion(wrk) : "none"),
    rows: credentials.rows,
    seedSeconds,
    settings: { ...wrkOptions, warmupSeconds: Number(flags.warmup) },
    lists: rows,
  };
  if (flags.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
} catch (error) {
  progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

function printReport(report: {
  machine: ReturnType<typeof describeMachine>;
  rows: number;
  seedSeconds: number;
  lists: Row[];
}): void {
  const { machine } = report;
  console.log(`machine: ${machine.cpu} × ${machine.cores}, ${machine.os}, bun ${machine.bun}`);
  console.log(`seeded ${report.rows.toLocaleString("en")} rows of each kind in ${report.seedSeconds.toFixed(1)} s`);
  console.log(
    `${wrkOptions.connections} connections, ${wrkOptions.threads} wrk threads, ${wrkOptions.durationSeconds} s each after ${flags.warmup} s of warm-up\n`,
  );
  console.log(
    "| target | req/s | p50 | p95 | errors | server cores | SQL per request (slowest) | full scan / temp B-tree over a big table |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of report.lists) {
    const verdict = row.flagged.length
      ? row.flagged.map((flag) => `${flag.lines.join(" + ")} (${flag.ms.toFixed(2)} ms)`).join("; ")
      : "none";
    console.log(
      `| \`${row.path}\` | ${row.requestsPerSec === null ? "–" : formatRps(row.requestsPerSec)} | ${row.latencyMs ? formatMs(row.latencyMs.p50) : "–"} | ${row.latencyMs ? formatMs(row.latencyMs.p95) : "–"} | ${errorsText(row)} | ${row.serverCores?.toFixed(2) ?? "–"} | ${row.sqlMs.toFixed(2)} ms in ${row.statements} (${row.slowestSqlMs.toFixed(2)} ms) | ${verdict} |`,
    );
  }
  console.log("\nThe slowest statement over a big table, per list, and its plan:");
  for (const row of report.lists) {
    console.log(`- ${row.target} (${row.slowestSqlMs.toFixed(2)} ms): ${row.slowestPlan.join(" · ") || "–"}`);
  }
  const flagged = report.lists.flatMap((row) => row.flagged.map((flag) => ({ target: row.target, ...flag })));
  if (flagged.length) {
    console.log("\nFlagged statements:");
    for (const flag of flagged) {
      console.log(`- ${flag.target}, ${flag.ms.toFixed(2)} ms: ${flag.lines.join(" + ")}\n    ${flag.sql}`);
    }
  }
}

/** The error count and its kinds: `12 (timeout 12)`. */
function errorsText(row: Row): string {
  if (row.errors === null || !row.errorKinds) return "–";
  const kinds = Object.entries(row.errorKinds).filter(([, count]) => count > 0);
  return kinds.length ? `${row.errors} (${kinds.map(([kind, count]) => `${kind} ${count}`).join(", ")})` : "0";
}

/** Waits until the single-threaded server answers /readyz again: everything queued before it is done. */
async function drain(url: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // still busy
    }
  }
}
