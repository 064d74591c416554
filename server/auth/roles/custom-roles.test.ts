import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, type Call, errorOf } from "../people/people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let admin: Call;
let globex: Call;
let member: Call;
let viewer: Call;

type RoleBody = { id: string; name: string; builtIn: boolean; permissions: string[]; members: number };

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const other = await createOrganization(box, "Globex");
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  globex = apiAs(box, sessionCookie(box, other.adminId, other.orgId));
  member = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId));
  viewer = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId));
});
afterAll(() => box.close());

async function createRole(call: Call, name: string, permissions: string[]): Promise<RoleBody> {
  const response = await call("POST", "/api/v1/roles", { name, permissions });
  expect(response.status).toBe(201);
  return (await response.json()) as RoleBody;
}

describe("role × route: /api/v1/roles needs roles.manage", () => {
  for (const [who, call] of [
    ["member", () => member],
    ["viewer", () => viewer],
  ] as const) {
    for (const [method, path, body] of [
      ["GET", "/api/v1/roles", undefined],
      ["POST", "/api/v1/roles", { name: "X", permissions: [] }],
      ["PATCH", "/api/v1/roles/rol_00000000000000000000000000", { name: "Y" }],
      ["DELETE", "/api/v1/roles/rol_00000000000000000000000000", undefined],
    ] as const) {
      test(`${who} gets 403 on ${method} ${path}`, async () => {
        expect((await call()(method, path, body)).status).toBe(403);
      });
    }
  }
});

describe("custom roles", () => {
  test("lists the built-in roles with their permissions, then the organisation's own", async () => {
    await createRole(admin, "Bookkeeper", ["workspace.read", "invoices.manage"]);
    await createRole(globex, "Globex only", ["workspace.read"]);
    const body = (await (await admin("GET", "/api/v1/roles")).json()) as { data: RoleBody[]; nextCursor: null };
    expect(body.data.slice(0, 5).map((role) => role.id)).toEqual(["admin", "manager", "team_lead", "member", "viewer"]);
    expect(body.data.find((role) => role.id === "viewer")?.permissions).toEqual(["workspace.read", "assistant.ask"]);
    const names = body.data.filter((role) => !role.builtIn).map((role) => role.name);
    expect(names).toContain("Bookkeeper");
    expect(names).not.toContain("Globex only");
  });

  test("a person with a custom role has exactly its permissions, and edits apply at once", async () => {
    const role = await createRole(admin, "Scheduler", ["workspace.read", "tasks.manage"]);
    const person = await createUser(box, { orgId: acme.orgId, role: role.id });
    const theirs = apiAs(box, sessionCookie(box, person, acme.orgId));
    const permissionsNow = async () =>
      ((await (await theirs("GET", "/api/v1/me")).json()) as { permissions: string[] }).permissions;
    expect(await permissionsNow()).toEqual(["tasks.manage", "workspace.read"]);
    const read = await admin("GET", "/api/v1/roles");
    expect(read.status).toBe(200);
    const patched = await admin("PATCH", `/api/v1/roles/${role.id}`, {
      permissions: ["workspace.read", "assistant.ask"],
    });
    expect(patched.status).toBe(200);
    expect(await permissionsNow()).toEqual(["assistant.ask", "workspace.read"]);
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "role.updated"), eq(auditEvents.targetId, role.id)))
      .get();
    expect(audit?.details).toMatchObject({
      permissions: { from: ["workspace.read", "tasks.manage"], to: ["workspace.read", "assistant.ask"] },
    });
  });

  test("invalid names and permissions are 422 with paths; a taken name is 409", async () => {
    const bad = await admin("POST", "/api/v1/roles", { name: "", permissions: ["fly.planes"] });
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).details?.map((detail) => detail.path).sort()).toEqual(["name", "permissions.0"]);
    const builtIn = await admin("POST", "/api/v1/roles", { name: "Team Lead", permissions: [] });
    expect(builtIn.status).toBe(422);
    expect((await errorOf(builtIn)).details?.[0]?.path).toBe("name");
    const taken = await admin("POST", "/api/v1/roles", { name: "bookkeeper", permissions: [] });
    expect(taken.status).toBe(409);
  });

  test("a role cannot hold permissions its creator lacks (403)", async () => {
    const roleAdmin = await createRole(admin, "Role keeper", ["workspace.read", "roles.manage"]);
    const keeper = apiAs(
      box,
      sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: roleAdmin.id }), acme.orgId),
    );
    expect((await keeper("POST", "/api/v1/roles", { name: "Escalated", permissions: ["audit.read"] })).status).toBe(
      403,
    );
    expect(
      (
        await keeper("PATCH", `/api/v1/roles/${roleAdmin.id}`, {
          permissions: ["workspace.read", "roles.manage", "users.manage"],
        })
      ).status,
    ).toBe(403);
    expect((await keeper("POST", "/api/v1/roles", { name: "Reader", permissions: ["workspace.read"] })).status).toBe(
      201,
    );
  });

  test("another organisation's role and built-in roles answer 404 on PATCH and DELETE", async () => {
    const theirs = await createRole(globex, "Globex planner", ["workspace.read"]);
    for (const id of [theirs.id, "admin"]) {
      expect((await admin("PATCH", `/api/v1/roles/${id}`, { name: "Mine now" })).status).toBe(404);
      expect((await admin("DELETE", `/api/v1/roles/${id}`)).status).toBe(404);
    }
    const still = (await (await globex("GET", "/api/v1/roles")).json()) as { data: RoleBody[] };
    expect(still.data.find((role) => role.id === theirs.id)?.name).toBe("Globex planner");
  });

  test("a stale If-Match is 412", async () => {
    const role = await createRole(admin, "Stale test", ["workspace.read"]);
    const first = await admin("PATCH", `/api/v1/roles/${role.id}`, { name: "Fresh test" });
    const etag = first.headers.get("ETag") ?? "";
    expect((await admin("PATCH", `/api/v1/roles/${role.id}`, { name: "Again" }, { "If-Match": etag })).status).toBe(
      200,
    );
    const stale = await admin("PATCH", `/api/v1/roles/${role.id}`, { name: "Lost" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
  });

  test("a role cannot be deleted while members hold it (409); afterwards it can (204)", async () => {
    const role = await createRole(admin, "Temp", ["workspace.read"]);
    const holder = await createUser(box, { orgId: acme.orgId, role: role.id });
    const held = await admin("DELETE", `/api/v1/roles/${role.id}`);
    expect(held.status).toBe(409);
    expect((await errorOf(held)).message).toContain("still hold");
    expect((await admin("PATCH", `/api/v1/users/${holder}`, { role: "viewer" })).status).toBe(200);
    expect((await admin("DELETE", `/api/v1/roles/${role.id}`)).status).toBe(204);
    expect((await admin("DELETE", `/api/v1/roles/${role.id}`)).status).toBe(404);
  });
});
