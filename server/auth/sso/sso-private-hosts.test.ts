import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { ssoProviders } from "../../../models/identity.ts";
import { findOrganizationPrivateHosts, saveAllowedPrivateHosts } from "../../outbound/outbound-hosts.ts";
import type { TestApp } from "../../testing/harness.ts";
import { freePort } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { startOidcProvider, type TestOidcProvider } from "../../testing/oidc-test-provider.ts";
import { createSsoProvider } from "./sso-providers.ts";

const ADDRESS = /\b\d{1,3}(\.\d{1,3}){3}\b|::1\b|\bresolves\b/;

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let idp: TestOidcProvider;
let acmeProvider: string;
let globexProvider: string;

/** A provider of `orgId` that points at the loopback test IdP, as an on-premises Keycloak would be. */
function providerOf(orgId: string, userId: string, name: string): string {
  const { db, log, keyring } = box.deps;
  const ctx = { db, log, keyring, orgId, userId, apiKeyId: null, permissions: new Set([]), meta: {} };
  const provider = createSsoProvider(ctx, {
    kind: "oidc",
    name,
    issuer: "https://placeholder.invalid",
    clientId: "opsbox-test",
    clientSecret: "test-client-secret",
    domainRules: [],
    enabled: true,
  });
  return provider.id;
}

function allowPrivateHosts(cookie: string, fields: Record<string, string>): Promise<Response> {
  return box.fetch("/settings/sso/private-hosts", {
    method: "POST",
    headers: { ...consoleHeaders(box, cookie), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

beforeAll(async () => {
  const port = freePort();
  box = await startInProcessApp({ env: { PORT: String(port), OPSBOX_BASE_URL: `http://127.0.0.1:${port}` } });
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  acmeProvider = providerOf(acme.orgId, acme.adminId, "Acme Keycloak");
  globexProvider = providerOf(globex.orgId, globex.adminId, "Globex Login");
  idp = await startOidcProvider({
    redirectUris: [acmeProvider, globexProvider].map((id) => `${box.config.baseUrl}/auth/sso/${id}/callback`),
    accounts: {},
  });
  // Both organisations point their provider at the same host on the box's own network.
  box.deps.db.update(ssoProviders).set({ issuer: idp.issuer }).run();
  // The instance admin allows that host for Acme only.
  const instanceAdmin = sessionCookie(box, acme.adminId, acme.orgId);
  const allowed = await allowPrivateHosts(instanceAdmin, { scope: acme.orgId, hosts: "127.0.0.1" });
  expect(allowed.status).toBe(200);
});
afterAll(async () => {
  await idp?.close();
  await box?.close();
});

describe("private hosts are allowed per organisation", () => {
  test("Acme's provider on the allowed host starts a sign-in", async () => {
    const response = await box.fetch(`/auth/sso/${acmeProvider}/start`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toStartWith(idp.issuer);
  });

  test("Globex's provider on a host allowed only for Acme is refused, and the page shows no address", async () => {
    const response = await box.fetch(`/auth/sso/${globexProvider}/start`);
    expect(response.status).toBe(503);
    const html = await response.text();
    expect(html).toContain("Globex Login cannot be reached");
    expect(html).not.toMatch(ADDRESS);
    expect(html).not.toContain(new URL(idp.issuer).host);
  });

  test("the box-wide list (model downloads) does not open a host to any organisation's sign-in", async () => {
    saveAllowedPrivateHosts(box.deps.db, ["127.0.0.1"]);
    try {
      expect((await box.fetch(`/auth/sso/${globexProvider}/start`)).status).toBe(503);
    } finally {
      saveAllowedPrivateHosts(box.deps.db, []);
    }
  });

  test("Globex's admin sees the refusal's reason without addresses; the instance admin sees the details", async () => {
    const globexAdmin = sessionCookie(box, globex.adminId, globex.orgId);
    const forAdmin = await (
      await box.fetch(`/auth/sso/${globexProvider}/start`, { headers: { Cookie: globexAdmin } })
    ).text();
    expect(forAdmin).toContain("instance admin");
    expect(forAdmin).not.toMatch(ADDRESS);
    const instanceAdmin = sessionCookie(box, acme.adminId, globex.orgId);
    const forInstanceAdmin = await (
      await box.fetch(`/auth/sso/${globexProvider}/start`, { headers: { Cookie: instanceAdmin } })
    ).text();
    expect(forInstanceAdmin).toContain("127.0.0.1");
  });

  test("Globex's admin may read Globex's list but not change it (403)", async () => {
    const globexAdmin = sessionCookie(box, globex.adminId, globex.orgId);
    const refused = await allowPrivateHosts(globexAdmin, { hosts: "127.0.0.1" });
    expect(refused.status).toBe(403);
    const refusedForAcme = await allowPrivateHosts(globexAdmin, { scope: acme.orgId, hosts: "10.0.0.9" });
    expect(refusedForAcme.status).toBe(403);
    expect(findOrganizationPrivateHosts(box.deps.db, globex.orgId)).toEqual([]);
    expect(findOrganizationPrivateHosts(box.deps.db, acme.orgId)).toEqual(["127.0.0.1"]);
    const page = await (await box.fetch("/settings/sso", { headers: { Cookie: globexAdmin } })).text();
    expect(page).toContain("Providers on your own network");
    expect(page).toContain("Only the instance admin of this box can allow");
    expect(page).not.toContain('name="hosts"');
    expect(page).toContain("Globex may reach no host on a private network.");
    expect(page).not.toContain("Acme Ltd");
    expect(page).not.toContain(acme.orgId);
  });

  test("the instance admin edits each organisation's list and the box-wide one, each audited where it applies", async () => {
    const instanceAdmin = sessionCookie(box, acme.adminId, acme.orgId);
    const page = await (await box.fetch("/settings/sso", { headers: { Cookie: instanceAdmin } })).text();
    expect(page).toContain(`value="${globex.orgId}"`);
    expect(page).toContain('value="box"');
    const bad = await allowPrivateHosts(instanceAdmin, { scope: globex.orgId, hosts: "http://keycloak.lan:8080" });
    expect(bad.status).toBe(422);
    const unknown = await allowPrivateHosts(instanceAdmin, { scope: "org_nosuchthing", hosts: "keycloak.lan" });
    expect(unknown.status).toBe(404);

    const granted = await allowPrivateHosts(instanceAdmin, { scope: globex.orgId, hosts: "127.0.0.1" });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain("Globex may reach: 127.0.0.1.");
    expect((await box.fetch(`/auth/sso/${globexProvider}/start`)).status).toBe(302);
    const audited = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, globex.orgId), eq(auditEvents.action, "outbound.private_hosts_changed")))
      .all();
    expect(audited.map((event) => event.details)).toEqual([{ hosts: ["127.0.0.1"], scope: "organization" }]);

    const withdrawn = await allowPrivateHosts(instanceAdmin, { scope: globex.orgId, hosts: "" });
    expect(withdrawn.status).toBe(200);
    expect((await box.fetch(`/auth/sso/${globexProvider}/start`)).status).toBe(503);
  });
});
