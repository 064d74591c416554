import { join } from "node:path";
import { type ProcessResult, runProcess } from "../tools/run-process.ts";

const CLI = join(import.meta.dir, "..", "cli.ts");

export type CliResult = ProcessResult;

/** Runs `opsbox <args>` as its own process, as an operator would, with no terminal on stdin. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runProcess([process.execPath, CLI, ...args], { PATH: process.env.PATH ?? "", ...env });
}
