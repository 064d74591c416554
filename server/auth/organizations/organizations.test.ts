import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { memberships, organizations, users } from "../../../models/identity.ts";
import { runCli } from "../../testing/cli.ts";
import { makeTempDir, startTestApp, type TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { apiAs, type Call, errorOf, latestMail, linkOf } from "../people/people-test-kit.ts";
import { rolePermissions } from "../roles/permissions.ts";

const CLI = join(import.meta.dir, "..", "..", "cli.ts");

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let instanceAdmin: Call;

beforeAll(async () => {
  box = await startTestApp({ dataDir: makeTempDir() });
  acme = await setUpBox(box);
  other = await createOrganization(box, "Globex");
  instanceAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
});
afterAll(async () => {
  await box.close();
  rmSync(box.dataDir, { recursive: true, force: true });
});

type OrgBody = {
  id: string;
  name: string;
  complianceLevel: string;
  admin: { id: string; email: string; status: string };
};

describe("POST /api/v1/organizations", () => {
  test("the instance admin adds an organisation with the basic preset and its admin is invited", async () => {
    const response = await instanceAdmin("POST", "/api/v1/organizations", {
      name: "Client One",
      adminEmail: "owner@client-one.test",
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as OrgBody;
    expect(body).toMatchObject({ name: "Client One", complianceLevel: "basic" });
    expect(body.admin).toMatchObject({ email: "owner@client-one.test", status: "invited" });
    const membership = box.deps.db.select().from(memberships).where(eq(memberships.userId, body.admin.id)).get();
    expect(membership).toMatchObject({ orgId: body.id, role: "admin" });
    const mail = latestMail(box, "owner@client-one.test");
    expect(mail?.subject).toContain("Client One");
    expect(linkOf(mail as NonNullable<typeof mail>).path).toStartWith("/invitations/accept?token=");
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "organization.created"), eq(auditEvents.orgId, body.id)))
      .get();
    expect(audit?.actorUserId).toBe(acme.adminId);
  });

  test("the instance admin naming their own account joins the new organisation at once", async () => {
    const response = await instanceAdmin("POST", "/api/v1/organizations", {
      name: "Own Holding",
      adminEmail: acme.adminEmail,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as OrgBody;
    expect(body.admin).toMatchObject({ id: acme.adminId, status: "active" });
    const rows = box.deps.db.select().from(memberships).where(eq(memberships.userId, acme.adminId)).all();
    expect(rows.map((row) => row.orgId)).toContain(body.id);
  });

  test("someone else's existing account is only invited: it joins when its person accepts", async () => {
    const response = await instanceAdmin("POST", "/api/v1/organizations", {
      name: "Holding Two",
      adminEmail: `admin@globex.test`,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as OrgBody;
    expect(body.admin).toMatchObject({ id: other.adminId, status: "invited" });
    const rows = box.deps.db.select().from(memberships).where(eq(memberships.userId, other.adminId)).all();
    expect(rows.map((row) => row.orgId)).not.toContain(body.id);
    expect(latestMail(box, "admin@globex.test")?.template).toBe("membership_invitation");
  });

  test("an organisation's own admin who is not the instance admin gets 403, as do members", async () => {
    const otherAdmin = apiAs(box, sessionCookie(box, other.adminId, other.orgId));
    const refused = await otherAdmin("POST", "/api/v1/organizations", { name: "Sneaky", adminEmail: "s@example.com" });
    expect(refused.status).toBe(403);
    const member = await createUser(box, { orgId: acme.orgId, role: "member" });
    const asMember = apiAs(box, sessionCookie(box, member, acme.orgId));
    const alsoRefused = await asMember("POST", "/api/v1/organizations", {
      name: "Sneaky",
      adminEmail: "s@example.com",
    });
    expect(alsoRefused.status).toBe(403);
    expect(box.deps.db.select().from(organizations).where(eq(organizations.name, "Sneaky")).get()).toBeUndefined();
  });

  test("invalid input is 422 with the fields' paths", async () => {
    const response = await instanceAdmin("POST", "/api/v1/organizations", { name: " ", adminEmail: "nope" });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.map((detail) => detail.path).sort()).toEqual(["adminEmail", "name"]);
  });
});

describe("POST /api/v1/me/organization", () => {
  test("a person of two organisations switches between them; the other's rows follow", async () => {
    const person = await createUser(box, { orgId: acme.orgId, role: "viewer", email: "two@example.com" });
    box.deps.db
      .insert(memberships)
      .values({ id: `mem_${crypto.randomUUID()}`, orgId: other.orgId, userId: person, role: "admin" })
      .run();
    const call = apiAs(box, sessionCookie(box, person, acme.orgId));
    expect((await call("GET", "/api/v1/users")).status).toBe(403);
    const switched = await call("POST", "/api/v1/me/organization", { organizationId: other.orgId });
    expect(switched.status).toBe(200);
    expect(await switched.json()).toEqual({ id: other.orgId, name: "Globex" });
    const me = (await (await call("GET", "/api/v1/me")).json()) as { organization: { id: string }; role: string };
    expect(me).toMatchObject({ organization: { id: other.orgId }, role: "admin" });
    const list = (await (await call("GET", "/api/v1/users")).json()) as { data: { id: string }[] };
    expect(list.data.map((user) => user.id)).toContain(other.adminId);
    expect(list.data.map((user) => user.id)).not.toContain(acme.adminId);
  });

  test("an organisation the person does not belong to answers 404", async () => {
    const viewer = await createUser(box, { orgId: acme.orgId, role: "viewer" });
    const call = apiAs(box, sessionCookie(box, viewer, acme.orgId));
    for (const organizationId of [other.orgId, "org_doesnotexist"]) {
      const response = await call("POST", "/api/v1/me/organization", { organizationId });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    }
    expect((await call("POST", "/api/v1/me/organization", {})).status).toBe(422);
  });

  test("an API key cannot switch (400): it belongs to one organisation", async () => {
    const { key } = createApiKey(
      box.deps.db,
      { orgId: acme.orgId, userId: acme.adminId, name: "k", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.admin,
    );
    const response = await box.fetch("/api/v1/me/organization", {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ organizationId: other.orgId }),
    });
    expect(response.status).toBe(400);
  });
});

const opsbox = (args: string[]) => runCli(args, { OPSBOX_DATA_DIR: box.dataDir });

describe("opsbox orgs", () => {
  test("orgs create adds an organisation and invites its admin", async () => {
    const result = await opsbox(["orgs", "create", "--name", "Client Two", "--admin-email", "Boss@Client-Two.test"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created organisation "Client Two" (org_');
    expect(result.stdout).toContain("Invited boss@client-two.test as its admin");
    const org = box.deps.db.select().from(organizations).where(eq(organizations.name, "Client Two")).get();
    expect(org?.complianceLevel).toBe("basic");
    const admin = box.deps.db.select().from(users).where(eq(users.email, "boss@client-two.test")).get();
    expect(admin?.status).toBe("invited");
    expect(latestMail(box, "boss@client-two.test")?.template).toBe("invitation");
    const audit = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "organization.created"), eq(auditEvents.orgId, org?.id ?? "")))
      .get();
    expect(audit?.details).toMatchObject({ via: "cli" });
  });

  test("orgs create refuses an invalid e-mail with one line and exit 1", async () => {
    const result = await opsbox(["orgs", "create", "--name", "Bad", "--admin-email", "not-an-email"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("opsbox: adminEmail: Enter a valid e-mail address.\n");
  });

  test("orgs list shows every organisation with its members", async () => {
    const result = await opsbox(["orgs", "list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^org_\w+ {2}Acme Ltd {2}\(basic, \d+ member\(s\)\)$/m);
    expect(result.stdout).toContain("Client Two");
  });
});

test("orgs create on a box that is not set up exits 1", async () => {
  const dir = makeTempDir("opsbox-cli-");
  try {
    const proc = Bun.spawn([process.execPath, CLI, "orgs", "create", "--name", "X", "--admin-email", "x@example.com"], {
      env: { PATH: process.env.PATH ?? "", OPSBOX_DATA_DIR: dir },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toContain("not set up yet");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
