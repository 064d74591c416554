import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import { memberships, users } from "../../models/identity.ts";
import { tasks } from "../../models/work.ts";
import { apiAs } from "../auth/people/people-test-kit.ts";
import { builtInRoles } from "../auth/roles/permissions.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";

/**
 * The attacks an admin (or anyone) of one organisation could try on another's people through
 * export and erasure: two organisations on one box, a person who belongs to both.
 */
let box: TestApp;
let acme = { orgId: "", adminId: "" };
let globex = { orgId: "", adminId: "" };
let shared = "";
const sharedEmail = "sam.shared@both.example";
beforeAll(async () => {
  box = await startInProcessApp();
  const setUp = await setUpBox(box);
  acme = { orgId: setUp.orgId, adminId: setUp.adminId };
  globex = await createOrganization(box, "Globex");
  shared = await createUser(box, { orgId: acme.orgId, role: "member", email: sharedEmail, name: "Sam Shared" });
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: globex.orgId, userId: shared, role: "member" })
    .run();
  // Sam's work in Globex: a task Globex's admin gave them, with Sam's address in its text.
  const globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  expect(
    (await globexAdmin("POST", "/api/v1/tasks", { title: `Call ${sharedEmail}`, assigneeId: shared })).status,
  ).toBe(201);
  const acmeAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  expect((await acmeAdmin("POST", "/api/v1/tasks", { title: "Acme work", assigneeId: shared })).status).toBe(201);
});
afterAll(() => box.close());

function zipNames(bytes: ArrayBuffer): Record<string, unknown> {
  const files = unzipSync(new Uint8Array(bytes));
  return Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => name.endsWith(".json"))
      .map(([name, data]) => [name, JSON.parse(new TextDecoder().decode(data))]),
  );
}

describe("every role of another organisation", () => {
  for (const role of builtInRoles) {
    test(`${role} of Globex cannot export or erase an Acme-only member: 404 or 403, never the data`, async () => {
      const attacker = await createUser(box, { orgId: globex.orgId, role });
      const victim = await createUser(box, { orgId: acme.orgId, role: "member" });
      const call = apiAs(box, sessionCookie(box, attacker, globex.orgId));
      const exported = await call("GET", `/api/v1/users/${victim}/export`);
      const erased = await call("POST", `/api/v1/users/${victim}/erase`, { uploads: "delete" });
      const expected = role === "admin" ? 404 : 403;
      expect([exported.status, erased.status]).toEqual([expected, expected]);
      expect(box.deps.db.select().from(users).where(eq(users.id, victim)).get()?.email).toBeDefined();
    });
  }
});

test("an Acme admin's export of a member shared with Globex holds Acme's data only", async () => {
  const response = await apiAs(box, sessionCookie(box, acme.adminId, acme.orgId))(
    "GET",
    `/api/v1/users/${shared}/export`,
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/zip");
  const files = zipNames(await response.arrayBuffer());
  expect((files["tasks-assigned.json"] as { title: string }[]).map((task) => task.title)).toEqual(["Acme work"]);
  expect(files["memberships.json"]).toEqual([{ id: acme.orgId, name: "Acme Ltd", role: "member" }]);
  expect(JSON.stringify(files)).not.toContain("Globex");
});

test("the person's own export lists their organisations but the work of the current one only", async () => {
  const response = await apiAs(box, sessionCookie(box, shared, acme.orgId))("GET", "/api/v1/me/export");
  expect(response.status).toBe(200);
  const files = zipNames(await response.arrayBuffer());
  expect((files["memberships.json"] as { name: string }[]).map((org) => org.name).sort()).toEqual([
    "Acme Ltd",
    "Globex",
  ]);
  expect((files["tasks-assigned.json"] as { title: string }[]).map((task) => task.title)).toEqual(["Acme work"]);
  expect(JSON.stringify(files)).not.toContain("$argon2");
});

test("an Acme admin erasing a member shared with Globex erases them from Acme only: Globex and the account stay", async () => {
  const response = await apiAs(box, sessionCookie(box, acme.adminId, acme.orgId))(
    "POST",
    `/api/v1/users/${shared}/erase`,
    {
      uploads: "delete",
    },
  );
  expect(response.status).toBe(200);
  expect(((await response.json()) as { scope: string }).scope).toBe("organization");
  const account = box.deps.db.select().from(users).where(eq(users.id, shared)).get();
  expect(account).toMatchObject({ email: sharedEmail, name: "Sam Shared", status: "active" });
  const globexTask = box.deps.db.select().from(tasks).where(eq(tasks.orgId, globex.orgId)).all();
  expect(globexTask.map((task) => [task.title, task.assigneeId])).toEqual([[`Call ${sharedEmail}`, shared]]);
  const acmeTask = box.deps.db.select().from(tasks).where(eq(tasks.title, "Acme work")).get();
  expect(acmeTask?.assigneeId).not.toBe(shared);
  const left = box.deps.db.select().from(memberships).where(eq(memberships.userId, shared)).all();
  expect(left.map((membership) => membership.orgId)).toEqual([globex.orgId]);
  // Sam still works in Globex.
  expect((await apiAs(box, sessionCookie(box, shared, globex.orgId))("GET", "/api/v1/me")).status).toBe(200);
});

test("an admin who manages people in every organisation of the account erases the account itself", async () => {
  const both = await createUser(box, { orgId: acme.orgId, role: "member", email: "both@both.example" });
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: globex.orgId, userId: both, role: "member" })
    .run();
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: globex.orgId, userId: acme.adminId, role: "admin" })
    .run();
  const globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  const task = (await (
    await globexAdmin("POST", "/api/v1/tasks", { title: "Globex work", assigneeId: both })
  ).json()) as { id: string };
  const response = await apiAs(box, sessionCookie(box, acme.adminId, acme.orgId))(
    "POST",
    `/api/v1/users/${both}/erase`,
    {
      uploads: "delete",
    },
  );
  expect(((await response.json()) as { scope: string }).scope).toBe("account");
  expect(box.deps.db.select().from(users).where(eq(users.id, both)).get()).toBeUndefined();
  const globexTask = box.deps.db.select().from(tasks).where(eq(tasks.id, task.id)).get();
  expect(globexTask?.assigneeId).not.toBe(both);
  box.deps.db
    .delete(memberships)
    .where(and(eq(memberships.userId, acme.adminId), eq(memberships.orgId, globex.orgId)))
    .run();
});

test("an export is audited", async () => {
  const call = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  const events = (await (await call("GET", "/api/v1/audit-events?action=privacy.exported")).json()) as {
    data: { targetId: string; details: { scope: string } }[];
  };
  expect(events.data.map((event) => event.details.scope).sort()).toEqual(["member", "self"]);
});
