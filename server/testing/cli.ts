import { join } from "node:path";
import { type ProcessResult, runProcess } from "../tools/run-process.ts";

const CLI = join(import.meta.dir, "..", "cli.ts");

export type CliResult = ProcessResult;

/** Runs a program to its end with only PATH and `env` in its environment and no terminal on stdin. */
export function runCommand(
  command: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<CliResult> {
  return runProcess(command, { PATH: process.env.PATH ?? "", ...env }, options);
}

/** Runs `opsbox <args>` as its own process, as an operator would, with no terminal on stdin. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCommand([process.execPath, CLI, ...args], env);
}
