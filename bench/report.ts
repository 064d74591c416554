import type { Machine } from "./machine.ts";
import { errorCount, type WrkResult } from "./wrk.ts";

export type LoadResult = {
  target: string;
  label: string;
  result: WrkResult;
  /** Cores busy during the run: the server, wrk, and everything else on the box (hypervisor steal included). */
  cores: { server: number; wrk: number; other: number };
};

export type BenchResults = {
  machine: Machine;
  settings: { connections: number; threads: number; durationSeconds: number; logLevel: string; logFile: string };
  coldStart: { freshMs: number[]; existingMs: number[]; freshMedianMs: number; existingMedianMs: number };
  memory: { idleBeforeLoadBytes: number; idleAfterLoadBytes: number; peakBytes: number };
  load: LoadResult[];
};

export type Goal = { goal: string; measured: string; met: boolean | null };

const GOAL_RPS = 15_000;
const GOAL_CONNECTIONS = 50;
const GOAL_COLD_START_MS = 300;
// MB as in the issue: 10^6 bytes, the stricter reading.
const GOAL_IDLE_RSS_BYTES = 90_000_000;

/** The goals; `met` is null where this run cannot tell (another connection count, no /healthz run). */
export function evaluateGoals(results: BenchResults): Goal[] {
  const healthz = results.load.find((load) => load.target === "healthz")?.result;
  const comparable = healthz !== undefined && results.settings.connections === GOAL_CONNECTIONS;
  const rss = Math.max(results.memory.idleBeforeLoadBytes, results.memory.idleAfterLoadBytes);
  return [
    {
      goal: `/healthz ≥ ${GOAL_RPS.toLocaleString("en")} req/s at ${GOAL_CONNECTIONS} connections`,
      measured: healthz ? `${formatRps(healthz.requestsPerSec)} req/s at ${results.settings.connections}` : "not run",
      met: comparable ? healthz.requestsPerSec >= GOAL_RPS && errorCount(healthz) === 0 : null,
    },
    {
      goal: `cold start < ${GOAL_COLD_START_MS} ms`,
      measured: `${formatMs(results.coldStart.freshMedianMs)} fresh, ${formatMs(results.coldStart.existingMedianMs)} existing`,
      met: Math.max(results.coldStart.freshMedianMs, results.coldStart.existingMedianMs) < GOAL_COLD_START_MS,
    },
    {
      goal: `idle RSS < ${formatMB(GOAL_IDLE_RSS_BYTES)}`,
      measured: `${formatMB(results.memory.idleBeforeLoadBytes)} before load, ${formatMB(results.memory.idleAfterLoadBytes)} after`,
      met: rss < GOAL_IDLE_RSS_BYTES,
    },
  ];
}

/** The human-readable report: machine, load table, cold start, memory, goals. */
export function formatReport(results: BenchResults): string {
  const { machine, settings, coldStart, memory } = results;
  const loadRows = results.load.map(({ label, result, cores }) => [
    label,
    formatRps(result.requestsPerSec),
    formatMs(result.latencyUs.p50 / 1000),
    formatMs(result.latencyUs.p95 / 1000),
    formatMs(result.latencyUs.p99 / 1000),
    String(errorCount(result)),
    [cores.server, cores.wrk, cores.other].map((value) => value.toFixed(2)).join(" / "),
  ]);
  return [
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
    `bun ${machine.bun}, ${machine.wrk}, ${machine.date}`,
    `wrk: ${settings.threads} threads, ${settings.connections} connections, ${settings.durationSeconds} s per target, on the same box; server log level ${settings.logLevel}, stdout to ${settings.logFile}`,
    "",
    table(["target", "req/s", "p50", "p95", "p99", "errors", "cores: server / wrk / other"], loadRows),
    "",
    table(
      ["measure", "value"],
      [
        [
          "cold start, fresh data dir (median)",
          `${formatMs(coldStart.freshMedianMs)}  [${coldStart.freshMs.map(formatMs).join(", ")}]`,
        ],
        [
          "cold start, migrated data dir (median)",
          `${formatMs(coldStart.existingMedianMs)}  [${coldStart.existingMs.map(formatMs).join(", ")}]`,
        ],
        ["idle RSS before load", formatMB(memory.idleBeforeLoadBytes)],
        ["idle RSS after load", formatMB(memory.idleAfterLoadBytes)],
        ["peak RSS (VmHWM, whole run)", formatMB(memory.peakBytes)],
      ],
    ),
    "",
    table(
      ["goal", "measured", "met"],
      evaluateGoals(results).map((goal) => [
        goal.goal,
        goal.measured,
        goal.met === null ? "n/a" : goal.met ? "yes" : "NO",
      ]),
    ),
  ].join("\n");
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export const formatRps = (value: number) => Math.round(value).toLocaleString("en");
export const formatMs = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const formatMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
