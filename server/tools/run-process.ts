export type ProcessResult = { code: number; stdout: string; stderr: string };

/** Runs a command to its end with no stdin, collecting its exit code and both outputs. */
export async function runProcess(
  argv: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<ProcessResult> {
  const proc = Bun.spawn(argv, { env, cwd: options.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}
