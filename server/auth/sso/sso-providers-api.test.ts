import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ssoProviders } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import {
  consoleHeaders,
  createOrganization,
  createUser,
  sessionCookie,
  setUpBox,
  type TestBox,
} from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { decryptSecret } from "../../tools/secrets.ts";

const SECRET = "GOCSPX-very-secret-value-123";

let box: TestApp;
let setup: TestBox;
let admin: string;
let manager: string;
let otherAdmin: string;

beforeAll(async () => {
  box = await startInProcessApp();
  setup = await setUpBox(box);
  admin = sessionCookie(box, setup.adminId, setup.orgId);
  const managerId = await createUser(box, { orgId: setup.orgId, role: "manager" });
  manager = sessionCookie(box, managerId, setup.orgId);
  const other = await createOrganization(box, "Globex");
  otherAdmin = sessionCookie(box, other.adminId, other.orgId);
});
afterAll(() => box.close());

function api(cookie: string, path: string, method = "GET", body?: unknown, extra: Record<string, string> = {}) {
  return box.fetch(`/api/v1/sso-providers${path}`, {
    method,
    headers: { ...consoleHeaders(box, cookie), "Content-Type": "application/json", ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

type Provider = { id: string; kind: string; issuer: string; tenant: string | null; redirectUri: string };

async function create(body: Record<string, unknown>, cookie = admin): Promise<Provider> {
  const response = await api(cookie, "", "POST", body);
  const text = await response.text();
  expect(response.status, text).toBe(201);
  expect(text).not.toContain(SECRET);
  return JSON.parse(text) as Provider;
}

const google = {
  kind: "google",
  name: "Google Workspace",
  clientId: "123.apps.googleusercontent.com",
  clientSecret: SECRET,
};

describe("POST /api/v1/sso-providers", () => {
  test("creates each kind with its issuer, stores the secret encrypted and never returns it", async () => {
    const g = await create({ ...google, domainRules: [{ domain: "Acme.test", role: "member" }] });
    expect(g).toMatchObject({ kind: "google", issuer: "https://accounts.google.com", tenant: null });
    expect(g).not.toHaveProperty("clientSecret");
    expect(g).not.toHaveProperty("clientSecretEncrypted");
    expect(g.redirectUri).toBe(`${box.config.baseUrl}/auth/sso/${g.id}/callback`);
    const m = await create({ ...google, kind: "microsoft", name: "Entra", tenant: "contoso.onmicrosoft.com" });
    expect(m).toMatchObject({
      issuer: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
      tenant: "contoso.onmicrosoft.com",
    });
    const o = await create({ ...google, kind: "oidc", name: "Keycloak", issuer: "https://sso.acme.test/realms/acme" });
    expect(o.issuer).toBe("https://sso.acme.test/realms/acme");

    const row = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, g.id)).get();
    expect(row?.clientSecretEncrypted).not.toContain(SECRET);
    expect(decryptSecret(box.deps.keyring, row?.clientSecretEncrypted ?? "", `sso.client_secret:${g.id}`)).toBe(SECRET);
    expect(row?.domainRules).toEqual([{ domain: "acme.test", role: "member" }]);
  });

  test("bad input answers 422 with one detail per field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...google, kind: "oidc" }, "issuer"],
      [{ ...google, kind: "oidc", issuer: "ftp://example.com" }, "issuer"],
      [{ ...google, kind: "microsoft" }, "tenant"],
      [{ ...google, issuer: "https://evil.test" }, ""],
      [{ ...google, clientSecret: "" }, "clientSecret"],
      [{ ...google, domainRules: [{ domain: "not a domain", role: "member" }] }, "domainRules.0.domain"],
      [{ ...google, domainRules: [{ domain: "acme.test", role: "wizard" }] }, "domainRules.0.role"],
      [{ ...google, domainRules: [{ domain: "acme.test", role: "admin" }] }, "domainRules.0.role"],
    ];
    for (const [body, path] of cases) {
      const response = await api(admin, "", "POST", body);
      expect(response.status).toBe(422);
      const error = ((await response.json()) as { error: { code: string; details: { path: string }[] } }).error;
      expect(error.code).toBe("validation_failed");
      expect(error.details.map((detail) => detail.path)).toContain(path);
    }
  });

  test("a manager gets 403 and nobody signed in gets 401", async () => {
    expect((await api(manager, "", "POST", google)).status).toBe(403);
    expect(
      (
        await box.fetch("/api/v1/sso-providers", {
          method: "POST",
          body: "{}",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(401);
  });
});

describe("reading, changing and removing", () => {
  test("lists only the caller's organisation and answers the standard page shape", async () => {
    const mine = await create({ ...google, name: "Mine" });
    const theirs = await create({ ...google, name: "Theirs" }, otherAdmin);
    const page = (await (await api(admin, "")).json()) as { data: Provider[]; nextCursor: string | null };
    const ids = page.data.map((provider) => provider.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(page.nextCursor).toBeNull();
    expect((await api(manager, "")).status).toBe(403);
  });

  test("another organisation's provider answers 404 to GET, PATCH and DELETE", async () => {
    const theirs = await create({ ...google, name: "Globex Google" }, otherAdmin);
    expect((await api(admin, `/${theirs.id}`)).status).toBe(404);
    expect((await api(admin, `/${theirs.id}`, "PATCH", { name: "Mine now" })).status).toBe(404);
    expect((await api(admin, `/${theirs.id}`, "DELETE")).status).toBe(404);
    expect(box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, theirs.id)).get()?.name).toBe(
      "Globex Google",
    );
  });

  test("PATCH changes what was sent, honours If-Match and replaces the secret only when given", async () => {
    const provider = await create({ ...google, kind: "oidc", issuer: "https://old.acme.test" });
    const read = await api(admin, `/${provider.id}`);
    const etag = read.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"/);
    const before = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, provider.id)).get();

    const changed = await api(
      admin,
      `/${provider.id}`,
      "PATCH",
      { issuer: "https://new.acme.test", enabled: false },
      { "If-Match": etag },
    );
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ issuer: "https://new.acme.test", enabled: false });
    const after = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, provider.id)).get();
    expect(after?.clientSecretEncrypted).toBe(before?.clientSecretEncrypted ?? "missing");

    expect((await api(admin, `/${provider.id}`, "PATCH", { name: "Stale" }, { "If-Match": etag })).status).toBe(412);
    expect((await api(admin, `/${provider.id}`, "PATCH", { tenant: "contoso.com" })).status).toBe(422);
    const secret = await api(admin, `/${provider.id}`, "PATCH", { clientSecret: "new-secret-value" });
    expect(await secret.text()).not.toContain("new-secret-value");
    const row = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, provider.id)).get();
    expect(decryptSecret(box.deps.keyring, row?.clientSecretEncrypted ?? "", `sso.client_secret:${provider.id}`)).toBe(
      "new-secret-value",
    );
    expect((await api(manager, `/${provider.id}`, "PATCH", { name: "x" })).status).toBe(403);
  });

  test("DELETE removes the provider; a manager gets 403", async () => {
    const provider = await create({ ...google, name: "Short-lived" });
    expect((await api(manager, `/${provider.id}`, "DELETE")).status).toBe(403);
    expect((await api(admin, `/${provider.id}`, "DELETE")).status).toBe(204);
    expect((await api(admin, `/${provider.id}`)).status).toBe(404);
  });

  test("the secret never reaches a log line", () => {
    expect(JSON.stringify(box.logs)).not.toContain(SECRET);
  });
});

describe("console /settings/sso", () => {
  const form = (cookie: string, path: string, body: Record<string, string>) =>
    box.fetch(path, {
      method: "POST",
      headers: { ...consoleHeaders(box, cookie), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body).toString(),
    });

  test("a manager gets 403 on the page and its forms", async () => {
    expect((await box.fetch("/settings/sso", { headers: { Cookie: manager } })).status).toBe(403);
    expect((await form(manager, "/settings/sso", { kind: "google", name: "x" })).status).toBe(403);
  });

  test("a bad form answers 422 with the values typed, but never the secret", async () => {
    const response = await form(admin, "/settings/sso", {
      kind: "oidc",
      name: "Typed name",
      issuer: "not a url",
      clientId: "typed-client",
      clientSecret: "typed-secret-value",
      domainRules: "acme.test = member\nbroken line",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="Typed name"');
    expect(html).toContain('value="typed-client"');
    expect(html).toContain("broken line");
    expect(html).toContain("line 2: write “domain = role”");
    expect(html).not.toContain("typed-secret-value");
  });

  test("a good form adds the provider and shows its redirect URI", async () => {
    const response = await form(admin, "/settings/sso", {
      kind: "microsoft",
      name: "Contoso Entra",
      tenant: "contoso.onmicrosoft.com",
      clientId: "client-guid",
      clientSecret: SECRET,
      domainRules: "contoso.com = Team Member",
      enabled: "on",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Contoso Entra was added");
    expect(html).toContain("contoso.com → member");
    expect(html).toMatch(/\/auth\/sso\/sso_\w+\/callback/);
    expect(html).not.toContain(SECRET);
  });

  test("the edit form saves changes and keeps the stored secret when the field is left empty", async () => {
    const provider = await create({ ...google, kind: "oidc", name: "Before", issuer: "https://idp.acme.test" });
    const before = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, provider.id)).get();
    const page = await box.fetch(`/settings/sso/${provider.id}/edit`, { headers: { Cookie: admin } });
    const html = await page.text();
    expect(html).toContain('value="https://idp.acme.test"');
    expect(html).not.toContain(SECRET);
    const saved = await form(admin, `/settings/sso/${provider.id}`, {
      name: "After",
      issuer: "https://idp2.acme.test",
      clientId: google.clientId,
      clientSecret: "",
      domainRules: "acme.test = viewer",
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("After was saved");
    const after = box.deps.db.select().from(ssoProviders).where(eq(ssoProviders.id, provider.id)).get();
    expect(after).toMatchObject({ name: "After", issuer: "https://idp2.acme.test", enabled: false });
    expect(after?.domainRules).toEqual([{ domain: "acme.test", role: "viewer" }]);
    expect(after?.clientSecretEncrypted).toBe(before?.clientSecretEncrypted ?? "missing");
  });

  test("another organisation's provider answers 404 to edit, save and remove", async () => {
    const theirs = await create({ ...google, name: "Globex only" }, otherAdmin);
    expect((await box.fetch(`/settings/sso/${theirs.id}/edit`, { headers: { Cookie: admin } })).status).toBe(404);
    expect((await form(admin, `/settings/sso/${theirs.id}`, { name: "Hijacked", clientId: "x" })).status).toBe(404);
    expect((await form(admin, `/settings/sso/${theirs.id}/delete`, {})).status).toBe(404);
  });

  test("only an instance admin may allow private hosts", async () => {
    expect((await form(otherAdmin, "/settings/sso/private-hosts", { hosts: "10.0.0.5" })).status).toBe(403);
    const bad = await form(admin, "/settings/sso/private-hosts", { hosts: "http://keycloak.lan:8080" });
    expect(bad.status).toBe(422);
    const good = await form(admin, "/settings/sso/private-hosts", { hosts: "keycloak.lan\n10.0.0.5" });
    expect(await good.text()).toContain("Acme Ltd may reach: 10.0.0.5, keycloak.lan.");
  });
});
