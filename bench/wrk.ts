import { join } from "node:path";

/** One wrk run, as bench/wrk-report.lua prints it; times in microseconds. */
export type WrkResult = {
  requests: number;
  durationUs: number;
  bytes: number;
  requestsPerSec: number;
  latencyUs: { mean: number; max: number; p50: number; p95: number; p99: number };
  /** `status` counts answers of 400 or more; the others are socket errors. */
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
  /** CPU seconds wrk itself used; added by runWrk, since wrk shares the box with the server. */
  wrkCpuSeconds: number;
};

export type WrkOptions = {
  connections: number;
  threads: number;
  durationSeconds: number;
  /** Extra request headers, `Name: value`. */
  headers?: string[];
  /** GET unless given; with `body`, every request sends the same body. */
  method?: string;
  body?: string;
};

const REPORT_SCRIPT = join(import.meta.dir, "wrk-report.lua");
const MARKER = "WRK_JSON ";

/** The path of wrk, or null when it is not installed. */
export function findWrk(): string | null {
  return Bun.which("wrk");
}

/** The first line of `wrk -v`, such as "wrk debian/4.1.0-3+b2 [epoll] …", without the copyright. */
export function wrkVersion(wrk: string): string {
  const result = Bun.spawnSync([wrk, "-v"], { stdout: "pipe", stderr: "pipe" });
  const line = `${result.stdout.toString()}${result.stderr.toString()}`.split("\n")[0] ?? "";
  return line.replace(/\s*Copyright.*$/, "").trim() || "unknown";
}

/** Runs wrk against `url` and returns the figures from the report script. */
export async function runWrk(wrk: string, url: string, options: WrkOptions): Promise<WrkResult> {
  const proc = Bun.spawn(
    [
      wrk,
      `--threads=${options.threads}`,
      `--connections=${options.connections}`,
      `--duration=${options.durationSeconds}s`,
      `--script=${REPORT_SCRIPT}`,
      ...(options.headers ?? []).flatMap((header) => ["--header", header]),
      url,
    ],
    {
      stdout: "pipe",
      stderr: "pipe",
      // The report script reads these: wrk's command line has no method or body flags.
      env: { ...process.env, WRK_METHOD: options.method ?? "GET", WRK_BODY: options.body ?? "" },
    },
  );
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(MARKER));
  if (exitCode !== 0 || !line) {
    throw new Error(`wrk failed (exit ${exitCode}) against ${url}:\n${stdout}${stderr}`);
  }
  const figures = JSON.parse(line.slice(MARKER.length)) as Omit<WrkResult, "wrkCpuSeconds">;
  return { ...figures, wrkCpuSeconds: Number(proc.resourceUsage()?.cpuTime.total ?? Number.NaN) / 1e6 };
}

/** Socket errors and answers of 400 or more, together. */
export function errorCount(result: WrkResult): number {
  const { connect, read, write, timeout, status } = result.errors;
  return connect + read + write + timeout + status;
}
