import { afterEach, expect, test } from "bun:test";
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, type ServerProcess, spawnServer } from "./testing/harness.ts";

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

function messages(proc: ServerProcess): string[] {
  return proc.lines.map((line) => (typeof line === "object" && line ? String((line as { msg?: string }).msg) : ""));
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} lets an in-flight request finish, runs stop hooks, closes the database and exits 0`, async () => {
    const running = await start();
    const inFlight = fetch(`${running.url}/__test/slow?ms=700`);
    await Bun.sleep(150);
    running.proc.kill(signal);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("finished");
    expect(await running.proc.exited).toBe(0);

    const said = messages(running);
    expect(said).toContain("test stop hook ran");
    expect(said.at(-1)).toBe("stopped");
    const wal = join(dir, "opsbox.db-wal");
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });
}

test("after SIGTERM no new connection is accepted", async () => {
  const running = await start();
  const inFlight = fetch(`${running.url}/__test/slow?ms=800`);
  await Bun.sleep(150);
  running.proc.kill("SIGTERM");
  await Bun.sleep(150);
  const late = await fetch(`${running.url}/healthz`).then(
    (response) => response.status,
    () => "refused",
  );
  expect(late).toBe("refused");
  expect((await inFlight).status).toBe(200);
  expect(await running.proc.exited).toBe(0);
});

test("a request that outlives the deadline is cut off and the process still exits 0", async () => {
  const running = await start({ OPSBOX_SHUTDOWN_TIMEOUT_MS: "300" });
  const inFlight = fetch(`${running.url}/__test/slow?ms=5000`).then(
    (response) => response.status,
    () => "cut off",
  );
  await Bun.sleep(150);
  running.proc.kill("SIGTERM");
  expect(await running.proc.exited).toBe(0);
  expect(await inFlight).toBe("cut off");
  expect(messages(running)).toContain("requests still running at the deadline; closing their connections");
});
