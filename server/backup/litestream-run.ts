import { rmSync } from "node:fs";
import { join } from "node:path";
import { databasePath } from "../db.ts";
import { type ProcessResult, runProcess } from "../tools/run-process.ts";
import { litestreamBinary } from "./litestream-binary.ts";
import { litestreamPlan, writeLitestreamConfig } from "./litestream-config.ts";
import type { BackupTarget } from "./settings.ts";

export type LitestreamRun = ProcessResult;

/** Where a command's own Litestream config goes: beside the server's, never over it. */
export type LitestreamJob = { binary: string | null; dataDir: string; workDir: string; target: BackupTarget };

/** Runs one `litestream <command>` against the target's replicas with a config of its own, removed afterwards. */
export async function runLitestream(job: LitestreamJob, command: string, args: string[]): Promise<LitestreamRun> {
  const binary = litestreamBinary(job.binary);
  if (!binary) throw new Error("litestream not found; set OPSBOX_LITESTREAM_BIN");
  // The replica settings are the server's; sync timing does not matter to these commands.
  const plan = litestreamPlan(job.target, {
    databasePath: databasePath(job.dataDir),
    syncIntervalMs: 1000,
    decrypt: true,
  });
  const config = writeLitestreamConfig(
    job.workDir,
    plan.yaml,
    join(job.workDir, `litestream-${process.pid}-${Date.now()}.yml`),
  );
  try {
    return await runProcess(
      [binary, command, "-config", config, "-no-expand-env", ...args, databasePath(job.dataDir)],
      {
        PATH: process.env.PATH ?? "",
        ...plan.env,
      },
    );
  } finally {
    rmSync(config, { force: true });
  }
}

/** Litestream's tables (`name  generation  lag …`): one record per row, keyed by the header's words. */
export function parseTable(text: string): Record<string, string>[] {
  const [header, ...rows] = text.split("\n").filter((line) => line.trim() !== "");
  if (!header) return [];
  const keys = header.trim().split(/\s+/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s+/);
    return Object.fromEntries(keys.map((key, index) => [key, cells[index] ?? ""]));
  });
}

/** The last ERROR line of Litestream's output, for a one-line failure message. */
export function litestreamError(run: LitestreamRun): string {
  const lines = `${run.stderr}\n${run.stdout}`.split("\n").filter((line) => line.trim() !== "");
  const error = [...lines].reverse().find((line) => /level=ERROR|^error:/i.test(line)) ?? lines.at(-1) ?? "";
  return error.replace(/^time=\S+ level=\S+ /, "").trim() || `litestream exited with code ${run.code}`;
}
