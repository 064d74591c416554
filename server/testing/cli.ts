import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "cli.ts");

export type CliResult = { code: number; stdout: string; stderr: string };

/** Runs a program to its end with only PATH and `env` in its environment and no terminal on stdin. */
export async function runCommand(
  command: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<CliResult> {
  const proc = Bun.spawn(command, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}

/** Runs `opsbox <args>` as its own process, as an operator would, with no terminal on stdin. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCommand([process.execPath, CLI, ...args], env);
}
