import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, rmSync } from "node:fs";
import { databasePath } from "../db.ts";
import { runCli } from "../testing/cli.ts";
import { makeTempDir, migratedDatabaseTemplate, startTestApp, type TestApp } from "../testing/harness.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startTestApp();
});
afterAll(() => box.close());

const opsbox = (args: string[], dataDir = box.dataDir) => runCli(["jobs", ...args], { OPSBOX_DATA_DIR: dataDir });

test("jobs list shows every job with its schedule", async () => {
  const result = await opsbox(["list"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("invoices.overdue");
  expect(result.stdout).toMatch(/ops\.self_check\s+every 30 s/);
});

test("jobs run hands the run to the running server and waits for its end; history lists it", async () => {
  const run = await opsbox(["run", "audit.retention"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Queued run_\w+\.\nrun_\w+ {2}succeeded {2}manual/);
  const history = await opsbox(["history", "audit.retention"]);
  expect(history.stdout).toContain("succeeded  manual");
});

test("jobs run refuses an unknown job and a box job named with --org", async () => {
  const unknown = await opsbox(["run", "no.such.job"]);
  expect([unknown.code, unknown.stderr]).toEqual([1, 'opsbox: No job "no.such.job". `opsbox jobs list` shows them.\n']);
  const org = await opsbox(["run", "audit.retention", "--org", "org_x"]);
  expect(org.stderr).toContain("runs for the whole box");
});

test("without a running server the run waits in the queue for the next start", async () => {
  const dir = makeTempDir();
  try {
    copyFileSync(migratedDatabaseTemplate(), databasePath(dir));
    const result = await opsbox(["run", "invoices.overdue"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The server is not running: the run starts when it does.");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
