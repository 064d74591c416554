import type { Machine } from "./machine.ts";
import { formatMs, formatRps } from "./report.ts";
import { errorCount, type WrkResult } from "./wrk.ts";

export type FloorRun = { result: WrkResult; serverCores: number };
export type FloorComparison = {
  name: string;
  label: string;
  connections: number;
  /** The goal for Opsbox as a percentage of the floor; null for the 200-connection runs. */
  goalPercent: number | null;
  floor: FloorRun;
  opsbox: FloorRun;
};

/** Opsbox's throughput as a percentage of the floor's in the same pair of runs. */
export function percentOfFloor(comparison: FloorComparison): number {
  return (comparison.opsbox.result.requestsPerSec / comparison.floor.result.requestsPerSec) * 100;
}

function cell(run: FloorRun): string {
  const { requestsPerSec, latencyUs } = run.result;
  return `${formatRps(requestsPerSec)} · ${formatMs(latencyUs.p50 / 1000)} · ${formatMs(latencyUs.p99 / 1000)}`;
}

export function printFloorReport(report: { machine: Machine; tasks: number; comparisons: FloorComparison[] }): void {
  const { machine } = report;
  console.log(`machine: ${machine.cpu} × ${machine.cores}, ${machine.os}, bun ${machine.bun}, ${machine.wrk}`);
  console.log(`${report.tasks.toLocaleString("en")} tasks seeded; cells: req/s · p50 · p99\n`);
  console.log("| target | connections | floor | Opsbox | % of floor | goal | errors (floor/Opsbox) |");
  console.log("|---|---|---|---|---|---|---|");
  for (const comparison of report.comparisons) {
    const percent = percentOfFloor(comparison);
    const goal =
      comparison.goalPercent === null
        ? "0 errors"
        : `≥ ${comparison.goalPercent}%: ${percent >= comparison.goalPercent ? "met" : "NOT met"}`;
    console.log(
      `| ${comparison.label} | ${comparison.connections} | ${cell(comparison.floor)} | ${cell(comparison.opsbox)} | **${percent.toFixed(0)}%** | ${goal} | ${errorCount(comparison.floor.result)} / ${errorCount(comparison.opsbox.result)} |`,
    );
  }
}
