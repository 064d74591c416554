import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLiveServers } from "./server.ts";

/** What every bench script shares: its progress lines, its exit on bad input, its scratch folder. */

export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

/** The targets named in `--targets a,b` (empty names skipped), in that order; an unknown name ends the run. */
export function pickTargets<Target extends { name: string }>(list: string | undefined, targets: Target[]): Target[] {
  return (list ?? "")
    .split(",")
    .filter((name) => name !== "")
    .map(
      (name) =>
        targets.find((target) => target.name === name) ??
        fail(`unknown target ${name}; choose from ${targets.map((target) => target.name).join(", ")}`),
    );
}

/** A fresh folder under the temp dir; an interrupted run (Ctrl-C, SIGTERM) stops its servers and removes it. */
export function benchWorkDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      killLiveServers();
      rmSync(dir, { recursive: true, force: true });
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  return dir;
}
