import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { apiKeys, memberships } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { permissions } from "../roles/permissions.ts";
import { apiKeyRequests } from "./api-key-rate-limit.ts";

let box: TestApp;
let orgId: string;
let adminCookie: string;
let managerCookie: string;
let opsId: string;
let opsCookie: string;
let otherCookie: string;

beforeAll(async () => {
  box = await startInProcessApp();
  const setUp = await setUpBox(box);
  orgId = setUp.orgId;
  adminCookie = sessionCookie(box, setUp.adminId, orgId);
  const managerId = await createUser(box, { orgId, role: "manager" });
  managerCookie = sessionCookie(box, managerId, orgId);
  opsId = await createUser(box, { orgId, role: "admin", email: "ops@example.com", name: "Olga Ops" });
  opsCookie = sessionCookie(box, opsId, orgId);
  const other = await createOrganization(box, "Globex");
  otherCookie = sessionCookie(box, other.adminId, other.orgId);
});
afterAll(() => box.close());

type KeyBody = { id: string; key: string; prefix: string; scopes: string[]; status: string; [field: string]: unknown };

function withCookie(cookie: string, body?: unknown): RequestInit {
  return {
    headers: { ...consoleHeaders(box, cookie), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  };
}

function withKey(key: string, body?: unknown): RequestInit {
  return {
    headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  };
}

async function createKey(cookie: string, body: Record<string, unknown>): Promise<KeyBody> {
  const response = await box.fetch("/api/v1/api-keys", { method: "POST", ...withCookie(cookie, body) });
  expect(response.status).toBe(201);
  return (await response.json()) as KeyBody;
}

describe("creating keys", () => {
  test("an admin creates a key: 201 with the key shown once and every permission by default", async () => {
    const created = await createKey(adminCookie, { name: "Accounting export" });
    expect(created.key).toMatch(/^obx_[a-z2-9]{8}_[a-z2-9]{32}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created).toMatchObject({ name: "Accounting export", status: "active", expiresAt: null });
    expect([...created.scopes].sort()).toEqual([...permissions].sort());

    const shown = await box.fetch(`/api/v1/api-keys/${created.id}`, withCookie(adminCookie));
    expect(shown.status).toBe(200);
    expect(shown.headers.get("ETag")).toBeTruthy();
    const text = await shown.text();
    expect(text).not.toContain(created.key.slice(13));
    expect(text).not.toContain("secretHash");

    const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.id)).all();
    expect(audit.map((event) => event.action)).toEqual(["api_key.created"]);
    expect(JSON.stringify(audit)).not.toContain(created.key.slice(13));
  });

  test("the key authenticates as its owner with its scopes on GET /api/v1/me", async () => {
    const created = await createKey(adminCookie, { name: "Reader", scopes: ["workspace.read"] });
    const me = await box.fetch("/api/v1/me", withKey(created.key));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      email: "admin@example.com",
      via: "api_key",
      permissions: ["workspace.read"],
    });
  });

  test("an unknown scope, an empty name or a past expiry → 422 naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", scopes: ["root.everything"] }, "scopes.0"],
      [{ name: " " }, "name"],
      [{ name: "x", expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "x", expiresAt: "tomorrow" }, "expiresAt"],
    ];
    for (const [body, path] of cases) {
      const response = await box.fetch("/api/v1/api-keys", { method: "POST", ...withCookie(adminCookie, body) });
      expect(response.status).toBe(422);
      const error = ((await response.json()) as { error: { details: { path: string }[] } }).error;
      expect(error.details.map((detail) => detail.path)).toContain(path);
    }
  });

  test("a key with api_keys.manage never creates a key with wider scopes than its own", async () => {
    const parent = await createKey(adminCookie, { name: "Provisioner", scopes: ["api_keys.manage", "workspace.read"] });
    const wider = await box.fetch("/api/v1/api-keys", {
      method: "POST",
      ...withKey(parent.key, { name: "Escalation", scopes: ["audit.read"] }),
    });
    expect(wider.status).toBe(422);
    const child = await box.fetch("/api/v1/api-keys", { method: "POST", ...withKey(parent.key, { name: "Child" }) });
    expect(child.status).toBe(201);
    expect(((await child.json()) as KeyBody).scopes.sort()).toEqual(["api_keys.manage", "workspace.read"]);
  });

  test("a key without api_keys.manage cannot manage keys: 403", async () => {
    const reader = await createKey(adminCookie, { name: "Plain reader", scopes: ["workspace.read"] });
    expect((await box.fetch("/api/v1/api-keys", withKey(reader.key))).status).toBe(403);
  });
});

describe("listing and reading keys", () => {
  test("GET /api/v1/api-keys pages with a cursor and never shows a key or its hash", async () => {
    await createKey(adminCookie, { name: "Page one" });
    await createKey(adminCookie, { name: "Page two" });
    const first = await box.fetch("/api/v1/api-keys?limit=1", withCookie(adminCookie));
    const firstBody = (await first.json()) as { data: KeyBody[]; nextCursor: string | null };
    expect(firstBody.data).toHaveLength(1);
    expect(firstBody.nextCursor).toBeString();
    const second = await box.fetch(
      `/api/v1/api-keys?limit=1&cursor=${firstBody.nextCursor ?? ""}`,
      withCookie(adminCookie),
    );
    const secondBody = (await second.json()) as { data: KeyBody[] };
    expect(secondBody.data[0]?.id).not.toBe(firstBody.data[0]?.id);
    const all = await (await box.fetch("/api/v1/api-keys?limit=200", withCookie(adminCookie))).json();
    const text = JSON.stringify(all);
    expect(text).not.toContain("secretHash");
    expect(text).not.toMatch(/obx_[a-z2-9]{8}_[a-z2-9]{32}/);
    expect((all as { data: KeyBody[] }).data[0]).toMatchObject({
      owner: { email: "admin@example.com" },
      lastUsedAt: null,
      revokedAt: null,
    });
  });

  test("another organisation's key is 404 on GET and DELETE, absent from the list, and keeps working", async () => {
    const theirs = await createKey(otherCookie, { name: "Globex key", scopes: ["workspace.read"] });
    expect((await box.fetch(`/api/v1/api-keys/${theirs.id}`, withCookie(adminCookie))).status).toBe(404);
    const deleted = await box.fetch(`/api/v1/api-keys/${theirs.id}`, { method: "DELETE", ...withCookie(adminCookie) });
    expect(deleted.status).toBe(404);
    expect(((await deleted.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const list = await (await box.fetch("/api/v1/api-keys?limit=200", withCookie(adminCookie))).text();
    expect(list).not.toContain(theirs.id);
    expect((await box.fetch("/api/v1/me", withKey(theirs.key))).status).toBe(200);
  });

  test("a manager gets 403 on every API-key route, anonymous callers 401", async () => {
    const target = await createKey(adminCookie, { name: "Target" });
    const routes: [string, string, unknown?][] = [
      ["POST", "/api/v1/api-keys", { name: "Mine" }],
      ["GET", "/api/v1/api-keys"],
      ["GET", `/api/v1/api-keys/${target.id}`],
      ["DELETE", `/api/v1/api-keys/${target.id}`],
    ];
    for (const [method, path, body] of routes) {
      const forbidden = await box.fetch(path, { method, ...withCookie(managerCookie, body) });
      expect(forbidden.status).toBe(403);
      const anonymous = await box.fetch(path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(anonymous.status).toBe(401);
    }
  });
});

describe("keys that stop working", () => {
  test("DELETE revokes at once: 204, the next request with the key is 401, revoking again is 204", async () => {
    const created = await createKey(adminCookie, { name: "Short-lived" });
    expect((await box.fetch("/api/v1/me", withKey(created.key))).status).toBe(200);
    const revoked = await box.fetch(`/api/v1/api-keys/${created.id}`, { method: "DELETE", ...withCookie(adminCookie) });
    expect(revoked.status).toBe(204);
    const refused = await box.fetch("/api/v1/me", withKey(created.key));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    const again = await box.fetch(`/api/v1/api-keys/${created.id}`, { method: "DELETE", ...withCookie(adminCookie) });
    expect(again.status).toBe(204);
    const shown = (await (
      await box.fetch(`/api/v1/api-keys/${created.id}`, withCookie(adminCookie))
    ).json()) as KeyBody;
    expect(shown.status).toBe("revoked");
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, created.id), eq(auditEvents.action, "api_key.revoked")))
      .all();
    expect(audit).toHaveLength(1);
  });

  test("an expired key is 401", async () => {
    const created = await createKey(adminCookie, { name: "Expiring", expiresAt: "2099-01-01T00:00:00Z" });
    expect((await box.fetch("/api/v1/me", withKey(created.key))).status).toBe(200);
    box.deps.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, created.id))
      .run();
    expect((await box.fetch("/api/v1/me", withKey(created.key))).status).toBe(401);
  });

  test("a key whose owner is demoted loses the scopes above the new role", async () => {
    const created = await createKey(opsCookie, { name: "Ops audit", scopes: ["audit.read", "workspace.read"] });
    expect((await box.fetch("/api/v1/audit-events", withKey(created.key))).status).toBe(200);
    box.deps.db.update(memberships).set({ role: "viewer" }).where(eq(memberships.userId, opsId)).run();
    expect((await box.fetch("/api/v1/audit-events", withKey(created.key))).status).toBe(403);
    const me = (await (await box.fetch("/api/v1/me", withKey(created.key))).json()) as { permissions: string[] };
    expect(me.permissions).toEqual(["workspace.read"]);
  });
});

describe("rate limits for API keys", () => {
  test("every key request carries RateLimit-* headers; past the limit it is 429 with Retry-After", async () => {
    const created = await createKey(adminCookie, { name: "Busy integration", scopes: ["workspace.read"] });
    const first = await box.fetch("/api/v1/me", withKey(created.key));
    expect(first.headers.get("RateLimit-Limit")).toBe("600");
    expect(first.headers.get("RateLimit-Remaining")).toBe("599");
    expect(Number(first.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    // Use up the rest of this minute's window without 598 round trips.
    for (let count = 0; count < 599; count += 1) apiKeyRequests.hit(created.id);
    const refused = await box.fetch("/api/v1/me", withKey(created.key));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Remaining")).toBe("0");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const session = await box.fetch("/api/v1/me", withCookie(adminCookie));
    expect(session.status).toBe(200);
    expect(session.headers.get("RateLimit-Limit")).toBeNull();
  });
});
