import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { recordAudit } from "./service.ts";

let box: TestApp;
let orgId: string;
let adminId: string;
let adminCookie: string;
let managerCookie: string;
let otherOrgId: string;

type EventJson = {
  id: string;
  action: string;
  actor: { userId: string | null; apiKeyId: string | null; agentId: string | null };
  target: { type: string | null; id: string | null };
  createdAt: string;
  [field: string]: unknown;
};
type Page = { data: EventJson[]; nextCursor: string | null };

beforeAll(async () => {
  box = await startInProcessApp();
  const setUp = await setUpBox(box);
  orgId = setUp.orgId;
  adminId = setUp.adminId;
  adminCookie = sessionCookie(box, adminId, orgId);
  managerCookie = sessionCookie(box, await createUser(box, { orgId, role: "manager" }), orgId);
  otherOrgId = (await createOrganization(box, "Globex")).orgId;
  const db = box.deps.db;
  const meta = { ipAddress: "203.0.113.7", userAgent: 'Evil "Agent", v1\nsecond line', requestId: "req-1" };
  recordAudit(
    db,
    {
      orgId,
      action: "user.role_changed",
      actorUserId: adminId,
      targetType: "user",
      targetId: "usr_a",
      details: { role: { from: "viewer", to: "manager" } },
      meta,
    },
    new Date("2030-01-01T10:00:00Z"),
  );
  recordAudit(
    db,
    {
      orgId,
      action: "settings.changed",
      actorUserId: adminId,
      targetType: "setting",
      targetId: '=HYPERLINK("http://x")',
      details: { note: "+1, -2 @home" },
      meta,
    },
    new Date("2030-01-02T10:00:00Z"),
  );
  recordAudit(
    db,
    { orgId, action: "auth.sign_in_failed", targetType: "user", targetId: "usr_b", meta },
    new Date("2030-01-03T10:00:00Z"),
  );
  recordAudit(
    db,
    { orgId: otherOrgId, action: "user.role_changed", targetType: "user", targetId: "usr_globex", meta },
    new Date("2030-01-01T10:00:00Z"),
  );
});
afterAll(() => box.close());

async function list(query: string, cookie = adminCookie): Promise<Page> {
  const response = await box.fetch(`/api/v1/audit-events${query}`, { headers: consoleHeaders(box, cookie) });
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe("GET /api/v1/audit-events", () => {
  test("lists the organisation's events newest first in the documented shape", async () => {
    const page = await list("?limit=200");
    expect(page.data.map((event) => event.action).slice(0, 3)).toEqual([
      "auth.sign_in_failed",
      "settings.changed",
      "user.role_changed",
    ]);
    expect(page.data[2]).toEqual({
      id: expect.stringMatching(/^aud_/),
      action: "user.role_changed",
      actor: { userId: adminId, apiKeyId: null, agentId: null },
      target: { type: "user", id: "usr_a" },
      ipAddress: "203.0.113.7",
      userAgent: 'Evil "Agent", v1\nsecond line',
      requestId: "req-1",
      details: { role: { from: "viewer", to: "manager" } },
      createdAt: "2030-01-01T10:00:00.000Z",
    });
    expect(page.data.map((event) => event.action)).toContain("setup.completed");
  });

  test("filters by a comma list of actions, actor, target and time range", async () => {
    const actions = await list("?action=settings.changed,auth.sign_in_failed");
    expect(actions.data.map((event) => event.action)).toEqual(["auth.sign_in_failed", "settings.changed"]);
    const byActor = await list(`?actorId=${adminId}&from=2030-01-01T00:00:00Z`);
    expect(byActor.data.map((event) => event.action)).toEqual(["settings.changed", "user.role_changed"]);
    const byTarget = await list("?targetId=usr_b");
    expect(byTarget.data.map((event) => event.action)).toEqual(["auth.sign_in_failed"]);
    const range = await list("?from=2030-01-01T12:00:00Z&to=2030-01-02T23:00:00Z");
    expect(range.data.map((event) => event.action)).toEqual(["settings.changed"]);
  });

  test("pages with an opaque cursor", async () => {
    const first = await list("?limit=2&from=2030-01-01T00:00:00Z");
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toBeString();
    const second = await list(`?limit=2&from=2030-01-01T00:00:00Z&cursor=${first.nextCursor}`);
    expect(second.data.map((event) => event.action)).toEqual(["user.role_changed"]);
    expect(second.nextCursor).toBeNull();
  });

  test("never shows another organisation's events, even asked for by target", async () => {
    expect((await list("?targetId=usr_globex")).data).toEqual([]);
    const all = await list("?limit=200");
    expect(JSON.stringify(all)).not.toContain("usr_globex");
  });

  test("a bad date → 422 naming the field", async () => {
    const response = await box.fetch("/api/v1/audit-events?from=yesterday", {
      headers: consoleHeaders(box, adminCookie),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details[0]?.path).toBe("from");
  });

  test("a manager gets 403 on the list and both CSV routes, anonymous callers 401", async () => {
    for (const path of ["/api/v1/audit-events", "/api/v1/audit-events.csv", "/api/v1/audit-events?format=csv"]) {
      expect((await box.fetch(path, { headers: consoleHeaders(box, managerCookie) })).status).toBe(403);
      expect((await box.fetch(path)).status).toBe(401);
    }
  });
});

describe("CSV export", () => {
  test("streams escaped, formula-safe CSV of the filtered events and audits the export", async () => {
    const response = await box.fetch("/api/v1/audit-events.csv?from=2030-01-01T00:00:00Z", {
      headers: consoleHeaders(box, adminCookie),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="audit-events-[\d-]+\.csv"$/);
    const csv = await response.text();
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "id,created_at,action,actor_user_id,actor_api_key_id,target_type,target_id,ip_address,user_agent,request_id,details",
    );
    // Three events, each one record; the user agent's newline stays inside its quotes.
    expect(csv.match(/\r\naud_/g)).toHaveLength(3);
    expect(csv).toContain('"Evil ""Agent"", v1\nsecond line"');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"{""note"":""+1, -2 @home""}"');
    expect(csv).not.toContain("usr_globex");
    expect(csv).not.toContain("audit.exported");

    const exported = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "audit.exported")).all();
    expect(exported.at(-1)).toMatchObject({
      orgId,
      actorUserId: adminId,
      details: { format: "csv", filters: { from: "2030-01-01T00:00:00.000Z" } },
    });
  });

  test("?format=csv answers the same export", async () => {
    const response = await box.fetch("/api/v1/audit-events?format=csv&action=auth.sign_in_failed", {
      headers: consoleHeaders(box, adminCookie),
    });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const records = (await response.text()).split("\r\n").filter(Boolean);
    expect(records).toHaveLength(2);
    expect(records[1]).toContain("auth.sign_in_failed");
  });

  test("an export longer than one page streams every event", async () => {
    const db = box.deps.db;
    const start = Date.parse("2020-01-01T00:00:00Z");
    db.transaction((tx) => {
      for (let index = 0; index < 1_050; index += 1) {
        recordAudit(tx, { orgId, action: "test.bulk", targetId: String(index) }, new Date(start + index * 1000));
      }
    });
    const response = await box.fetch("/api/v1/audit-events.csv?action=test.bulk", {
      headers: consoleHeaders(box, adminCookie),
    });
    const records = (await response.text()).split("\r\n").filter(Boolean);
    expect(records).toHaveLength(1 + 1_050);
    expect(new Set(records.map((record) => record.split(",")[0])).size).toBe(1 + 1_050);
  });
});
