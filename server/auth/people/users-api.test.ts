import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { users } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { rolePermissions } from "../roles/permissions.ts";
import { apiAs, type Call, errorOf, latestMail, linkOf } from "./people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let admin: Call;
let memberId: string;
let viewerId: string;
const asRole: Record<string, Call> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  other = await createOrganization(box, "Globex");
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", email: "mia@example.com", name: "Mia Member" });
  viewerId = await createUser(box, { orgId: acme.orgId, role: "viewer", email: "vic@example.com", name: "Vic Viewer" });
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  asRole.member = apiAs(box, sessionCookie(box, memberId, acme.orgId));
  asRole.viewer = apiAs(box, sessionCookie(box, viewerId, acme.orgId));
  asRole.team_lead = apiAs(
    box,
    sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "team_lead" }), acme.orgId),
  );
});
afterAll(() => box.close());

type UserBody = { id: string; email: string; name: string; role: string; status: string; createdAt: string };

describe("role × route: only people who manage users reach the users API", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", "/api/v1/users"],
    ["POST", "/api/v1/users", { email: "x@example.com", name: "X", role: "member" }],
    ["GET", "/api/v1/users/{member}"],
    ["PATCH", "/api/v1/users/{member}", { name: "Renamed" }],
  ];
  for (const role of ["member", "viewer", "team_lead"]) {
    for (const [method, path, body] of routes) {
      test(`${role} gets 403 on ${method} ${path}`, async () => {
        const response = await asRole[role]?.(method, path.replace("{member}", memberId), body);
        expect(response?.status).toBe(403);
        expect((await errorOf(response as Response)).code).toBe("forbidden");
      });
    }
  }

  test("without a session the users API answers 401", async () => {
    const response = await apiAs(box, null)("GET", "/api/v1/users");
    expect(response.status).toBe(401);
  });
});

describe("GET /api/v1/users", () => {
  test("lists the organisation's people with role, status and ISO times, never another organisation's", async () => {
    const response = await admin("GET", "/api/v1/users");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: UserBody[]; nextCursor: string | null };
    expect(body.nextCursor).toBeNull();
    const mia = body.data.find((user) => user.id === memberId);
    expect(mia).toMatchObject({ email: "mia@example.com", name: "Mia Member", role: "member", status: "active" });
    expect(mia?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.data.map((user) => user.id)).not.toContain(other.adminId);
  });

  test("pages with an opaque cursor that stays stable while people are added", async () => {
    const first = (await (await admin("GET", "/api/v1/users?limit=2")).json()) as {
      data: UserBody[];
      nextCursor: string;
    };
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toBeString();
    expect(first.nextCursor).not.toContain("mem_");
    await createUser(box, { orgId: acme.orgId, role: "viewer", email: "late@example.com" });
    const seen = [...first.data.map((user) => user.id)];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = (await (await admin("GET", `/api/v1/users?limit=2&cursor=${cursor}`)).json()) as {
        data: UserBody[];
        nextCursor: string | null;
      };
      seen.push(...page.data.map((user) => user.id));
      cursor = page.nextCursor;
    }
    const all = (await (await admin("GET", "/api/v1/users?limit=200")).json()) as { data: UserBody[] };
    expect(seen).toEqual(all.data.map((user) => user.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(all.data.at(-1)?.email).toBe("late@example.com");
  });

  test("a bad limit or cursor is 422 with the field's path", async () => {
    for (const query of ["limit=0", "limit=201", "limit=abc"]) {
      const response = await admin("GET", `/api/v1/users?${query}`);
      expect(response.status).toBe(422);
      expect((await errorOf(response)).details?.[0]?.path).toBe("limit");
    }
    const response = await admin("GET", "/api/v1/users?cursor=bm90LWEtY3Vyc29y");
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("cursor");
  });
});

describe("POST /api/v1/users", () => {
  test("creates an invited person and writes an invitation to the draft log", async () => {
    const response = await admin("POST", "/api/v1/users", {
      email: "New.Person@Example.com",
      name: "New Person",
      role: "manager",
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as UserBody;
    expect(body).toMatchObject({
      email: "new.person@example.com",
      name: "New Person",
      role: "manager",
      status: "invited",
    });
    expect(body.id).toMatch(/^usr_/);
    expect(response.headers.get("ETag")).toBeString();
    const mail = latestMail(box, "new.person@example.com");
    expect(mail?.template).toBe("invitation");
    expect(mail?.subject).toContain("Acme Ltd");
    expect(linkOf(mail as NonNullable<typeof mail>).path).toMatch(/^\/invitations\/accept\?token=ivt_/);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.invited"), eq(auditEvents.targetId, body.id)))
      .get();
    expect(audit?.actorUserId).toBe(acme.adminId);
  });

  test("a person already in the organisation is 409", async () => {
    const response = await admin("POST", "/api/v1/users", { email: "mia@example.com", name: "Mia", role: "member" });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("conflict");
  });

  test("invalid fields are 422 with each field's path", async () => {
    const response = await admin("POST", "/api/v1/users", { email: "not-an-email", name: "", role: "overlord" });
    expect(response.status).toBe(422);
    const paths = (await errorOf(response)).details?.map((detail) => detail.path).sort();
    expect(paths).toEqual(["email", "name", "role"]);
  });

  test("a custom role of another organisation is not a role here (422)", async () => {
    const globex = apiAs(box, sessionCookie(box, other.adminId, other.orgId));
    const created = (await (
      await globex("POST", "/api/v1/roles", { name: "Auditor", permissions: ["audit.read"] })
    ).json()) as {
      id: string;
    };
    const response = await admin("POST", "/api/v1/users", { email: "aud@example.com", name: "Aud", role: created.id });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("role");
  });

  test("someone who manages users without being admin cannot hand out admin (403)", async () => {
    const roles = (await (
      await admin("POST", "/api/v1/roles", {
        name: "People lead",
        permissions: ["workspace.read", "assistant.ask", "users.manage"],
      })
    ).json()) as { id: string };
    const lead = await createUser(box, { orgId: acme.orgId, role: roles.id });
    const asLead = apiAs(box, sessionCookie(box, lead, acme.orgId));
    const escalate = await asLead("POST", "/api/v1/users", { email: "boss@example.com", name: "Boss", role: "admin" });
    expect(escalate.status).toBe(403);
    const self = await asLead("PATCH", `/api/v1/users/${lead}`, { role: "admin" });
    expect(self.status).toBe(403);
    const fine = await asLead("POST", "/api/v1/users", { email: "helper@example.com", name: "Helper", role: "viewer" });
    expect(fine.status).toBe(201);
  });
});

describe("GET and PATCH /api/v1/users/{id}", () => {
  test("another organisation's person answers 404 on GET and PATCH", async () => {
    expect((await admin("GET", `/api/v1/users/${other.adminId}`)).status).toBe(404);
    const patch = await admin("PATCH", `/api/v1/users/${other.adminId}`, { status: "deactivated" });
    expect(patch.status).toBe(404);
    expect((await errorOf(patch)).code).toBe("not_found");
    const stored = box.deps.db.select().from(users).where(eq(users.id, other.adminId)).get();
    expect(stored?.status).toBe("active");
  });

  test("a role change ends the person's sessions and is audited", async () => {
    const person = await createUser(box, { orgId: acme.orgId, role: "member" });
    const theirs = apiAs(box, sessionCookie(box, person, acme.orgId));
    expect((await theirs("GET", "/api/v1/me")).status).toBe(200);
    const response = await admin("PATCH", `/api/v1/users/${person}`, { role: "team_lead" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as UserBody).role).toBe("team_lead");
    expect((await theirs("GET", "/api/v1/me")).status).toBe(401);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.role_changed"), eq(auditEvents.targetId, person)))
      .get();
    expect(audit?.details).toMatchObject({ role: { from: "member", to: "team_lead" }, sessionsRevoked: 1 });
  });

  test("deactivation ends every session and API key of the person", async () => {
    const person = await createUser(box, { orgId: acme.orgId, role: "manager" });
    const theirs = apiAs(box, sessionCookie(box, person, acme.orgId));
    const { key } = createApiKey(
      box.deps.db,
      { orgId: acme.orgId, userId: person, name: "script", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.manager,
    );
    const withKey = () => box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
    expect((await withKey()).status).toBe(200);
    const response = await admin("PATCH", `/api/v1/users/${person}`, { status: "deactivated" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as UserBody).status).toBe("deactivated");
    expect((await theirs("GET", "/api/v1/me")).status).toBe(401);
    expect((await withKey()).status).toBe(401);
    const back = await admin("PATCH", `/api/v1/users/${person}`, { status: "active" });
    expect(((await back.json()) as UserBody).status).toBe("active");
    expect((await withKey()).status).toBe(401);
  });

  test("the last active admin can be neither demoted nor deactivated (409)", async () => {
    const demote = await admin("PATCH", `/api/v1/users/${acme.adminId}`, { role: "manager" });
    expect(demote.status).toBe(409);
    expect((await errorOf(demote)).message).toContain("at least one active admin");
    const deactivate = await admin("PATCH", `/api/v1/users/${acme.adminId}`, { status: "deactivated" });
    expect(deactivate.status).toBe(409);
    const stored = (await (await admin("GET", `/api/v1/users/${acme.adminId}`)).json()) as UserBody;
    expect(stored).toMatchObject({ role: "admin", status: "active" });
  });

  test("a write with a stale If-Match is 412 and changes nothing", async () => {
    const read = await admin("GET", `/api/v1/users/${viewerId}`);
    const etag = read.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    const notModified = await admin("GET", `/api/v1/users/${viewerId}`, undefined, { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    const first = await admin("PATCH", `/api/v1/users/${viewerId}`, { name: "Vic V." }, { "If-Match": etag });
    expect(first.status).toBe(200);
    expect(first.headers.get("ETag")).not.toBe(etag);
    const stale = await admin("PATCH", `/api/v1/users/${viewerId}`, { name: "Stale" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
    const now = (await (await admin("GET", `/api/v1/users/${viewerId}`)).json()) as UserBody;
    expect(now.name).toBe("Vic V.");
  });

  test("invalid or empty changes are 422 with paths", async () => {
    const bad = await admin("PATCH", `/api/v1/users/${viewerId}`, { status: "asleep", role: "king" });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).details?.map((detail) => detail.path).sort()).toEqual(["role", "status"]);
    expect((await admin("PATCH", `/api/v1/users/${viewerId}`, {})).status).toBe(422);
    expect((await admin("PATCH", `/api/v1/users/${viewerId}`, { email: "x@example.com" })).status).toBe(422);
  });
});
