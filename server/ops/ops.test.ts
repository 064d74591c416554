import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../migrate.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { checkDatabaseWritable } from "./readiness.ts";

let box: TestApp | null = null;
afterEach(async () => {
  await box?.close();
  box = null;
});

type Readiness = { status: string; checks: Record<string, { status: string; [key: string]: unknown }> };

test("GET /healthz answers 200 {status: ok} while the process runs", async () => {
  box = await startInProcessApp();
  const response = await box.fetch("/healthz");
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
  expect(response.headers.get("Cache-Control")).toBe("no-store");
});

test("GET /readyz reports each check and 200 when all pass", async () => {
  box = await startInProcessApp();
  const response = await box.fetch("/readyz");
  expect(response.status).toBe(200);
  const body = (await response.json()) as Readiness;
  expect(body.status).toBe("ok");
  expect(body.checks.database).toMatchObject({ status: "ok", writable: true });
  const journal = await Bun.file(join(MIGRATIONS_DIR, "meta", "_journal.json")).json();
  expect(body.checks.migrations).toMatchObject({ status: "ok", schemaVersion: journal.entries.at(-1).tag });
  expect(body.checks.sqliteVec?.version).toMatch(/^v\d/);
  expect(body.checks.disk?.freeBytes).toBeGreaterThan(0);
});

test("GET /readyz answers 503 when the database does not accept writes", async () => {
  box = await startInProcessApp();
  // Another process holding the write lock is what a stuck backup or a hung writer looks like.
  const other = new Database(join(box.dataDir, "opsbox.db"));
  other.run("BEGIN EXCLUSIVE");
  try {
    const response = await box.fetch("/readyz");
    expect(response.status).toBe(503);
    const body = (await response.json()) as Readiness;
    expect(body.status).toBe("fail");
    expect(body.checks.database).toMatchObject({ status: "fail", writable: false });
    expect(String(body.checks.database?.message)).toContain("does not accept writes");
  } finally {
    other.run("ROLLBACK");
    other.close();
  }
  // The write probe's result stands for a second.
  await Bun.sleep(1000);
  expect((await box.fetch("/readyz")).status).toBe(200);
});

test("GET /readyz answers 503 when the data directory is short of space", async () => {
  box = await startInProcessApp({ env: { OPSBOX_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) } });
  const response = await box.fetch("/readyz");
  expect(response.status).toBe(503);
  const body = (await response.json()) as Readiness;
  expect(body.checks.disk).toMatchObject({ status: "fail" });
  expect(body.checks.database?.status).toBe("ok");
});

test("GET /readyz answers 503 when migrations are not current", async () => {
  box = await startInProcessApp();
  box.deps.db.$client.run("DELETE FROM __drizzle_migrations");
  const response = await box.fetch("/readyz");
  expect(response.status).toBe(503);
  const body = (await response.json()) as Readiness;
  expect(body.checks.migrations).toMatchObject({ status: "fail" });
});

test("GET /readyz answers 503 while the process is stopping", async () => {
  box = await startInProcessApp();
  box.deps.lifecycle.stopping = true;
  const response = await box.fetch("/readyz");
  expect(response.status).toBe(503);
  expect(((await response.json()) as Readiness).checks.process?.status).toBe("fail");
  box.deps.lifecycle.stopping = false;
});

test("the write probe runs at most once a second: a request within the second reuses its result", async () => {
  box = await startInProcessApp();
  const db = box.deps.db;
  const start = Date.now();
  expect(checkDatabaseWritable(db, start)).toMatchObject({ status: "ok", writable: true });
  const other = new Database(join(box.dataDir, "opsbox.db"));
  other.run("BEGIN EXCLUSIVE");
  try {
    const began = performance.now();
    expect(checkDatabaseWritable(db, start + 999)).toMatchObject({ status: "ok", writable: true });
    // Reused, not written: a write would have waited for the lock.
    expect(performance.now() - began).toBeLessThan(100);
    expect(checkDatabaseWritable(db, start + 1000)).toMatchObject({ status: "fail", writable: false });
  } finally {
    other.run("ROLLBACK");
    other.close();
  }
});

test("GET /readyz to a visitor that a proxy forwarded answers only the status, with the same 200 or 503", async () => {
  // The harness names loopback a trusted proxy, as the appliance does for Caddy: still not a local caller.
  box = await startInProcessApp();
  const forwarded = { headers: { "X-Forwarded-For": "203.0.113.9" } };
  const ok = await box.fetch("/readyz", forwarded);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ status: "ok" });
  expect(ok.headers.get("Cache-Control")).toBe("no-store");
  box.deps.lifecycle.stopping = true;
  const failing = await box.fetch("/readyz", forwarded);
  box.deps.lifecycle.stopping = false;
  expect(failing.status).toBe(503);
  expect(await failing.json()).toEqual({ status: "fail" });
});

test("GET /readyz without a loopback socket peer (app.request) answers only the status", async () => {
  box = await startInProcessApp();
  const response = await box.app.request("/readyz");
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("GET /readyz shows the checks to a signed-in admin through the proxy, not to a member", async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const memberId = await createUser(box, { orgId: acme.orgId, role: "member" });
  const asAdmin = await box.fetch("/readyz", {
    headers: { "X-Forwarded-For": "203.0.113.9", Cookie: sessionCookie(box, acme.adminId, acme.orgId) },
  });
  expect(((await asAdmin.json()) as Readiness).checks.database?.status).toBe("ok");
  const asMember = await box.fetch("/readyz", {
    headers: { "X-Forwarded-For": "203.0.113.9", Cookie: sessionCookie(box, memberId, acme.orgId) },
  });
  expect(await asMember.json()).toEqual({ status: "ok" });
});
