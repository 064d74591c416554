import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { memberships, users } from "../../models/identity.ts";
import { apiAs, type Call } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

/**
 * Issue 11, F4: an organisation names people as it knows them. A pending invitee is what it
 * typed (never the account's name), a member is its own name for them (else the person's), and
 * someone who has left is never named by whatever their account is called now.
 */

let box: TestApp;
let acme: { orgId: string; adminId: string };
let acmeAdmin: Call;
let acmeCookie = "";
let sam = "";
let nick = "";
let leaver = "";
let gammaOrgId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box, { name: "Acme" });
  acme = { orgId: setup.orgId, adminId: setup.adminId };
  const gamma = await createOrganization(box, "Gamma");
  gammaOrgId = gamma.orgId;
  acmeCookie = sessionCookie(box, acme.adminId, acme.orgId);
  acmeAdmin = apiAs(box, acmeCookie);
  sam = await createUser(box, {
    orgId: gamma.orgId,
    role: "manager",
    email: "sam@gamma.example",
    name: "Sam Secretname",
  });
  nick = await createUser(box, {
    orgId: acme.orgId,
    role: "manager",
    email: "nick@acme.example",
    name: "Nicholas Account",
  });
  box.deps.db
    .update(memberships)
    .set({ displayName: "Nick of Acme" })
    .where(and(eq(memberships.orgId, acme.orgId), eq(memberships.userId, nick)))
    .run();
  leaver = await createUser(box, {
    orgId: acme.orgId,
    role: "member",
    email: "leaver@acme.example",
    name: "Lee Leaver",
  });
});
afterAll(() => box.close());

async function page(path: string): Promise<string> {
  const response = await box.fetch(path, { headers: { Cookie: acmeCookie } });
  expect(response.status).toBe(200);
  return response.text();
}

describe("Acme's pages name people as Acme knows them", () => {
  test("a pending invitee is shown by what Acme typed, never by the account's name", async () => {
    const invited = await acmeAdmin("POST", "/api/v1/users", {
      email: "sam@gamma.example",
      name: "Typed",
      role: "viewer",
    });
    expect(invited.status).toBe(201);
    const audit = await page("/settings/audit");
    expect(audit).toContain("user.invited");
    expect(audit).toContain("<td>Typed</td>");
    expect(audit).not.toContain("Sam Secretname");
  });

  test("once the invitee declines, the log still does not name them by their account", async () => {
    const samCall = apiAs(box, sessionCookie(box, sam, gammaOrgId));
    const invitations = (await (await samCall("GET", "/api/v1/me/invitations")).json()) as { data: { id: string }[] };
    const [invitation] = invitations.data;
    if (!invitation) throw new Error("no invitation for Sam");
    expect((await samCall("POST", `/api/v1/me/invitations/${invitation.id}/decline`)).status).toBe(204);
    const audit = await page("/settings/audit");
    expect(audit).toContain("user.invitation_declined");
    expect(audit).not.toContain("Sam Secretname");
    expect(audit).toContain("<td>someone outside the organisation</td>");
  });

  test("a member is shown by Acme's own name for them, in the log and on the work pages", async () => {
    expect((await acmeAdmin("PATCH", `/api/v1/users/${nick}`, { role: "viewer" })).status).toBe(200);
    const created = await acmeAdmin("POST", "/api/v1/projects", { name: "Nick's project", code: "NIK", ownerId: nick });
    expect(created.status).toBe(201);
    const audit = await page("/settings/audit");
    expect(audit).toContain("Nick of Acme");
    expect(audit).not.toContain("Nicholas Account");
    const projects = await page("/projects");
    expect(projects).toContain("Nick of Acme");
    expect(projects).not.toContain("Nicholas Account");
  });

  test("someone who has left reads sensibly, never by what their account is called now", async () => {
    const created = await acmeAdmin("POST", "/api/v1/projects", {
      name: "Lee's project",
      code: "LEE",
      ownerId: leaver,
    });
    expect(created.status).toBe(201);
    const { id: projectId } = (await created.json()) as { id: string };
    expect((await acmeAdmin("DELETE", `/api/v1/users/${leaver}`)).status).toBe(204);
    // The person lives on elsewhere and renames their account.
    box.deps.db.update(users).set({ name: "Lee Renamed Later" }).where(eq(users.id, leaver)).run();
    const audit = await page("/settings/audit");
    expect(audit).toContain("user.removed");
    expect(audit).toContain("<td>leaver@acme.example</td>");
    expect(audit).not.toContain("Lee Renamed Later");
    expect(audit).not.toContain("Lee Leaver");
    const project = await page(`/projects/${projectId}`);
    expect(project).toContain("Former member");
    expect(project).not.toContain("Lee Renamed Later");
    expect(project).not.toContain("Lee Leaver");
  });
});
