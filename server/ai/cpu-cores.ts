import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

let cached: number | null = null;

/**
 * Physical cores, not hardware threads: llama.cpp's matrix work gains nothing from a core's
 * second hyper-thread and loses to the contention. Read from /proc/cpuinfo (distinct
 * physical id × core id pairs); elsewhere, the logical count.
 */
export function physicalCores(): number {
  cached ??= countPhysicalCores();
  return cached;
}

function countPhysicalCores(): number {
  const logical = Math.max(1, availableParallelism());
  let text: string;
  try {
    text = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return logical;
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  // A container limited to fewer CPUs than the host has must not be handed the host's cores.
  return cores.size === 0 ? logical : Math.max(1, Math.min(cores.size, logical));
}
