import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { type RunningServer, type StartOptions, startServer } from "../main.ts";
import { migrate } from "../migrate.ts";

export type TestApp = RunningServer & {
  dataDir: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** fetch() against the app's real listening socket. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Stops the server and deletes its data directory. */
  close: () => Promise<void>;
};

export function makeTempDir(prefix = "opsbox-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Env for a test server: a fresh data directory, any free loopback port, and loopback named as
 * the trusted proxy, as an appliance with Caddy in front sets it, so that tests can speak for
 * several clients with X-Forwarded-For (`OPSBOX_TRUSTED_PROXIES: ""` restores the default).
 */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    OPSBOX_DATA_DIR: dataDir,
    OPSBOX_LOG_LEVEL: "info",
    OPSBOX_TRUSTED_PROXIES: "127.0.0.1,::1",
    ...extra,
  };
}

/** A free loopback port, for servers whose URL must be known before they start. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null) });
  const port = probe.port ?? 0;
  probe.stop(true);
  return port;
}

let migratedTemplate: string | null = null;

/**
 * A database file with every migration applied and nothing else, made once per test process by
 * the real migrate(). Migrating a new file costs 50-150 ms on two cores; copying this one a
 * millisecond. The box still runs migrate() at start (finding nothing to do), as after a restart.
 */
export function migratedDatabaseTemplate(): string {
  if (!migratedTemplate || !existsSync(migratedTemplate)) {
    const dir = makeTempDir("opsbox-template-");
    const db = openDatabase(databasePath(dir));
    migrate(db);
    // Checkpoints the WAL into the file and closes it: the one file is the whole database.
    closeDatabase(db);
    migratedTemplate = databasePath(dir);
  }
  return migratedTemplate;
}

export type TestAppOptions = {
  env?: Record<string, string>;
  extend?: StartOptions["extend"];
  /** A data directory of the test's own (kept at close, used as it is); by default a fresh one. */
  dataDir?: string;
};

/**
 * Starts the real app on a random loopback port with a fresh temporary data directory, whose
 * database starts as a copy of a freshly migrated one.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? makeTempDir();
  if (!options.dataDir) copyFileSync(migratedDatabaseTemplate(), databasePath(dataDir));
  const logs: Record<string, unknown>[] = [];
  const log = createLogger("info", { write: (line: string) => void logs.push(JSON.parse(line)) });
  const running = await startServer({ env: testEnv(dataDir, options.env), extend: options.extend, log });
  return {
    ...running,
    dataDir,
    logs,
    fetch: (path, init) => fetch(new URL(path, running.url), { redirect: "manual", ...init }),
    close: async () => {
      await running.stop("test finished");
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ServerProcess = {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  /** Every stdout line so far, parsed when it is JSON. */
  lines: unknown[];
  /**
   * The first log line, already written or still to come, whose `msg` is `message`; rejects if
   * stdout ends first. For tests that act on what the process says rather than on a guessed delay.
   */
  waitForLog: (message: string) => Promise<Record<string, unknown>>;
  stderr: () => Promise<string>;
};

const MAIN = join(import.meta.dir, "..", "main.ts");

/**
 * Runs `bun server/main.ts` as its own process, as systemd would, and waits until it listens
 * ("opsbox listening", logged once SIGTERM and SIGINT already stop it gracefully).
 */
export async function spawnServer(
  env: Record<string, string>,
  entry = MAIN,
  cwd: string = process.cwd(),
): Promise<ServerProcess> {
  const proc = Bun.spawn([process.execPath, entry], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const lines: unknown[] = [];
  let ended = false;
  const waiters = new Set<{ message: string; resolve: (line: Record<string, unknown>) => void; reject: () => void }>();
  const logged = (line: unknown) => {
    for (const waiter of waiters)
      if (hasMessage(line, waiter.message)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
  };
  const waitForLog = (message: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const missing = () => reject(new Error(`the server's output ended without "${message}"`));
      const seen = lines.find((line) => hasMessage(line, message));
      if (seen) resolve(seen as Record<string, unknown>);
      else if (ended) missing();
      else waiters.add({ message, resolve, reject: missing });
    });
  const url = await new Promise<string>((resolve, reject) => {
    const decoder = new TextDecoder();
    let buffer = "";
    (async () => {
      try {
        for await (const chunk of proc.stdout) {
          buffer += decoder.decode(chunk, { stream: true });
          let newline = buffer.indexOf("\n");
          while (newline >= 0) {
            const text = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            const line = parseLine(text);
            lines.push(line);
            logged(line);
            if (isListening(line)) resolve(line.url);
            newline = buffer.indexOf("\n");
          }
        }
      } finally {
        ended = true;
        for (const waiter of waiters) waiter.reject();
        waiters.clear();
      }
      reject(
        new Error(
          `server exited with ${await proc.exited} before listening: ${await new Response(proc.stderr).text()}`,
        ),
      );
    })().catch(reject);
  });
  return { proc, url, lines, waitForLog, stderr: () => new Response(proc.stderr).text() };
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function hasMessage(line: unknown, message: string): line is Record<string, unknown> {
  return typeof line === "object" && line !== null && (line as { msg?: unknown }).msg === message;
}

function isListening(line: unknown): line is { url: string } {
  return hasMessage(line, "opsbox listening");
}
