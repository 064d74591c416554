import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { customRoles, memberships, users } from "../../../models/identity.ts";
import { csrfToken } from "../../http/csrf.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiAs, latestMail, postForm } from "../people/people-test-kit.ts";

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
let globexRoleId: string;
let adminCookie: string;
let viewerCookie: string;
let memberId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  other = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", email: "mo@example.com", name: "Mo Member" });
  viewerCookie = sessionCookie(
    box,
    await createUser(box, { orgId: acme.orgId, role: "viewer", name: "Val Viewer" }),
    acme.orgId,
  );
  const role = await apiAs(box, sessionCookie(box, other.adminId, other.orgId))("POST", "/api/v1/roles", {
    name: "Globex clerk",
    permissions: ["workspace.read"],
  });
  globexRoleId = ((await role.json()) as { id: string }).id;
});
afterAll(() => box.close());

const page = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie } });

describe("role × route: the Users and roles console", () => {
  const routes: [string, string, Record<string, string>?][] = [
    ["GET", "/settings/users"],
    ["GET", "/settings/users/{member}/deactivate"],
    ["POST", "/settings/users/invite", { email: "v@example.com", name: "V", role: "viewer" }],
    ["POST", "/settings/users/{member}/role", { role: "viewer" }],
    ["POST", "/settings/users/{member}/deactivate", {}],
    ["POST", "/settings/users/{member}/reactivate", {}],
    ["POST", "/settings/users/{member}/resend", {}],
    ["POST", "/settings/roles", { name: "R", permissions: "workspace.read" }],
    ["POST", "/settings/roles/{role}", { name: "R", permissions: "workspace.read" }],
    ["POST", "/settings/roles/{role}/delete", {}],
  ];
  for (const [method, path, fields] of routes) {
    test(`a viewer gets 403 on ${method} ${path}`, async () => {
      const url = path.replace("{member}", memberId).replace("{role}", globexRoleId);
      const response =
        method === "GET" ? await page(url, viewerCookie) : await postForm(box, viewerCookie, url, fields ?? {});
      expect(response.status).toBe(403);
    });
  }

  for (const [method, path, fields] of routes.filter(([, path]) => path.includes("{"))) {
    test(`another organisation's row is 404 on ${method} ${path}`, async () => {
      const url = path.replace("{member}", other.adminId).replace("{role}", globexRoleId);
      const response =
        method === "GET" ? await page(url, adminCookie) : await postForm(box, adminCookie, url, fields ?? {});
      expect(response.status).toBe(404);
    });
  }

  test("another organisation's person and role are untouched by those attempts", () => {
    expect(box.deps.db.select().from(users).where(eq(users.id, other.adminId)).get()?.status).toBe("active");
    expect(box.deps.db.select().from(customRoles).where(eq(customRoles.id, globexRoleId)).get()?.name).toBe(
      "Globex clerk",
    );
  });

  test("without a session the page leads to sign-in", async () => {
    const response = await box.fetch("/settings/users");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/sign-in?next=%2Fsettings%2Fusers");
  });
});

describe("Users and roles", () => {
  test("lists the organisation's people with role and status, never another organisation's", async () => {
    const html = await (await page("/settings/users", adminCookie)).text();
    expect(html).toContain("Mo Member");
    expect(html).toContain("mo@example.com");
    expect(html).toContain("Team Member");
    expect(html).not.toContain("admin@globex.test");
    expect(html).toContain('href="/settings/users" aria-current="page"');
  });

  test("an invalid invitation comes back with what was typed and the errors (422)", async () => {
    const response = await postForm(box, adminCookie, "/settings/users/invite", {
      email: "jo@example",
      name: "Jo Typed",
      role: "manager",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toContain('value="jo@example"');
    expect(html).toContain('value="Jo Typed"');
    expect(html).toMatch(/<option value="manager" selected/);
    expect(html).toContain("Enter a valid e-mail address.");
  });

  test("an invitation joins the session's organisation and is e-mailed", async () => {
    const response = await postForm(box, adminCookie, "/settings/users/invite", {
      email: "jo@example.com",
      name: "Jo",
      role: "manager",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Invitation sent to jo@example.com.");
    const jo = box.deps.db.select().from(users).where(eq(users.email, "jo@example.com")).get();
    const rows = box.deps.db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, jo?.id ?? ""))
      .all();
    expect(rows.map((row) => [row.orgId, row.role])).toEqual([[acme.orgId, "manager"]]);
    expect(latestMail(box, "jo@example.com")?.template).toBe("invitation");
  });

  test("demoting the last admin is refused on the page with 409", async () => {
    const response = await postForm(box, adminCookie, `/settings/users/${acme.adminId}/role`, { role: "viewer" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("at least one active admin");
  });

  test("a role change and a deactivation end the person's sessions", async () => {
    const person = await createUser(box, { orgId: acme.orgId, role: "member", name: "Sam Session" });
    const theirs = apiAs(box, sessionCookie(box, person, acme.orgId));
    expect((await postForm(box, adminCookie, `/settings/users/${person}/role`, { role: "team_lead" })).status).toBe(
      200,
    );
    expect((await theirs("GET", "/api/v1/me")).status).toBe(401);
    const again = apiAs(box, sessionCookie(box, person, acme.orgId));
    const confirm = await page(`/settings/users/${person}/deactivate`, adminCookie);
    expect(await confirm.text()).toContain("Deactivate Sam Session? They are signed out everywhere");
    const done = await postForm(box, adminCookie, `/settings/users/${person}/deactivate`, {});
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Sam Session was deactivated");
    expect((await again("GET", "/api/v1/me")).status).toBe(401);
  });

  test("custom roles: a failed form keeps its values; a new role is offered for people", async () => {
    const bad = await postForm(box, adminCookie, "/settings/roles", {
      name: "Admin",
      permissions: ["workspace.read", "audit.read"],
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("name of a built-in role");
    expect(badHtml).toMatch(/value="audit.read" checked/);
    const good = await postForm(box, adminCookie, "/settings/roles", {
      name: "Auditor",
      permissions: ["workspace.read", "audit.read"],
    });
    expect(good.status).toBe(200);
    const role = box.deps.db
      .select()
      .from(customRoles)
      .where(and(eq(customRoles.orgId, acme.orgId), eq(customRoles.name, "Auditor")))
      .get();
    expect(role?.permissions).toEqual(["workspace.read", "audit.read"]);
    expect(await good.text()).toContain(`<option value="${role?.id}">Auditor</option>`);
  });

  test("a plain form post needs the session's CSRF token", async () => {
    const headers = {
      Cookie: adminCookie,
      Origin: new URL(box.url).origin,
      "Content-Type": "application/x-www-form-urlencoded",
    };
    const body = new URLSearchParams({ role: "viewer" });
    const refused = await box.fetch(`/settings/users/${memberId}/role`, { method: "POST", headers, body });
    expect(refused.status).toBe(403);
    const sessionId = adminCookie.split("=")[1]?.split(".")[0] ?? "";
    body.set("_csrf", csrfToken(box.config.secretKey, sessionId));
    const accepted = await box.fetch(`/settings/users/${memberId}/role`, { method: "POST", headers, body });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain("<html");
  });
});

describe("switching organisation", () => {
  test("a member of two organisations switches from the settings page; another organisation is 404", async () => {
    const person = await createUser(box, { orgId: acme.orgId, role: "admin", email: "dual@example.com" });
    box.deps.db
      .insert(memberships)
      .values({ id: `mem_${crypto.randomUUID()}`, orgId: other.orgId, userId: person, role: "viewer" })
      .run();
    const cookie = sessionCookie(box, person, acme.orgId);
    const html = await (await page("/settings/users", cookie)).text();
    expect(html).toContain('action="/organizations/switch"');
    expect(html).toContain("Globex");
    const switched = await box.fetch("/organizations/switch", {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: new URL(box.url).origin,
        "HX-Request": "true",
        "HX-Current-URL": `${box.url}/settings/users`,
      },
      body: new URLSearchParams({ organizationId: other.orgId }),
    });
    expect(switched.headers.get("HX-Redirect")).toBe("/settings/users");
    // A viewer in Globex: the users page is now closed to them.
    expect((await page("/settings/users", cookie)).status).toBe(403);
    const elsewhere = await createOrganization(box, "Initech");
    const refused = await postForm(box, cookie, "/organizations/switch", { organizationId: elsewhere.orgId });
    expect(refused.status).toBe(404);
  });
});
