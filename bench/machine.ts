import { readFileSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";

/** What the figures were measured on; RESULTS.md records it beside them. */
export type Machine = {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  bun: string;
  wrk: string;
  date: string;
};

export function describeMachine(wrkVersion: string): Machine {
  return {
    cpu: firstMatch("/proc/cpuinfo", /^model name\s*:\s*(.+)$/m) ?? "unknown",
    // What nproc prints: the cores this process may run on.
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${firstMatch("/etc/os-release", /^PRETTY_NAME="?([^"\n]+)"?$/m) ?? "Linux"}, kernel ${release()}`,
    bun: Bun.version,
    wrk: wrkVersion,
    date: new Date().toISOString(),
  };
}

function firstMatch(path: string, pattern: RegExp): string | null {
  try {
    return pattern.exec(readFileSync(path, "utf8"))?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}
