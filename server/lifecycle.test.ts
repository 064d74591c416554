import { afterEach, expect, test } from "bun:test";
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, type ServerProcess, spawnServer } from "./testing/harness.ts";

// No test here waits a guessed time: each acts on a line the process has written ("opsbox
// listening", "slow request started", "stopping: …"), so a slow machine only makes it slower.
const SLOW_SERVER = join(import.meta.dir, "testing", "slow-server.ts");
let dir = "";
let server: ServerProcess | null = null;
afterEach(() => {
  server?.proc.kill("SIGKILL");
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

async function start(extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  dir = makeTempDir("opsbox-lifecycle-");
  server = await spawnServer({ PORT: "0", OPSBOX_DATA_DIR: dir, ...extraEnv }, SLOW_SERVER);
  return server;
}

/** Sends a request to the slow route and returns once its handler is running in the server. */
async function slowRequest(running: ServerProcess, ms: number): Promise<{ response: Promise<Response> }> {
  const response = fetch(`${running.url}/__test/slow?ms=${ms}`);
  await running.waitForLog("slow request started");
  return { response };
}

function messages(proc: ServerProcess): string[] {
  return proc.lines.map((line) => (typeof line === "object" && line ? String((line as { msg?: string }).msg) : ""));
}

function expectCleanStop(running: ServerProcess): void {
  const said = messages(running);
  expect(said).toContain("test stop hook ran");
  expect(said.at(-1)).toBe("stopped");
  const wal = join(dir, "opsbox.db-wal");
  expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} lets an in-flight request finish, runs stop hooks, closes the database and exits 0`, async () => {
    const running = await start();
    const inFlight = await slowRequest(running, 700);
    running.proc.kill(signal);

    const response = await inFlight.response;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("finished");
    expect(await running.proc.exited).toBe(0);
    expectCleanStop(running);
  });

  test(`${signal} the moment the server says it listens still stops gracefully and exits 0`, async () => {
    const running = await start();
    running.proc.kill(signal);
    expect(await running.proc.exited).toBe(0);
    expectCleanStop(running);
  });
}

test("after SIGTERM no new connection is accepted", async () => {
  const running = await start();
  const inFlight = await slowRequest(running, 800);
  running.proc.kill("SIGTERM");
  await running.waitForLog("stopping: no new connections, finishing requests");
  const late = await fetch(`${running.url}/healthz`).then(
    (response) => response.status,
    () => "refused",
  );
  expect(late).toBe("refused");
  expect((await inFlight.response).status).toBe(200);
  expect(await running.proc.exited).toBe(0);
});

test("a request that outlives the deadline is cut off and the process still exits 0", async () => {
  const running = await start({ OPSBOX_SHUTDOWN_TIMEOUT_MS: "300" });
  const inFlight = (await slowRequest(running, 5000)).response.then(
    (response) => response.status,
    () => "cut off",
  );
  running.proc.kill("SIGTERM");
  expect(await running.proc.exited).toBe(0);
  expect(await inFlight).toBe("cut off");
  expect(messages(running)).toContain("requests still running at the deadline; closing their connections");
});
