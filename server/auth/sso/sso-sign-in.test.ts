import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { memberships, ssoIdentities, users } from "../../../models/identity.ts";
import { sessionCookieName } from "../../http/session-cookie.ts";
import { findOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { freePort, type TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from "../../testing/oidc-test-provider.ts";

// Characters that Basic authentication must form-encode (RFC 6749 2.3.1).
const CLIENT_SECRET = "s3cret+/~value=with:colon";

let box: TestApp;
let setup: TestBox;
let idp: TestOidcProvider;
let providerId: string;
let adminCookie: string;

async function adminJson(path: string, method: string, body: unknown): Promise<Response> {
  return box.fetch(path, {
    method,
    headers: { ...consoleHeaders(box, adminCookie), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  const port = freePort();
  box = await startInProcessApp({ env: { PORT: String(port), OPSBOX_BASE_URL: `http://127.0.0.1:${port}` } });
  setup = await setUpBox(box);
  adminCookie = sessionCookie(box, setup.adminId, setup.orgId);
  await createUser(box, { orgId: setup.orgId, role: "member", email: "mira@acme.test", name: "Mira Member" });
  await createUser(box, { orgId: setup.orgId, role: "member", email: "uma@acme.test" });
  await createUser(box, { orgId: setup.orgId, role: "member", email: "dora@acme.test", status: "deactivated" });
  const tara = await createUser(box, { orgId: setup.orgId, role: "member", email: "tara@acme.test" });
  box.deps.db.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, tara)).run();

  // The provider must know Opsbox's callback, which holds the provider's id: create it first, point it at the IdP after.
  const created = await adminJson("/api/v1/sso-providers", "POST", {
    kind: "oidc",
    name: "Acme Login",
    issuer: "https://login.acme.test",
    clientId: "opsbox-test",
    clientSecret: CLIENT_SECRET,
    domainRules: [{ domain: "newco.test", role: "member" }],
  });
  expect(created.status).toBe(201);
  const provider = (await created.json()) as { id: string; redirectUri: string };
  providerId = provider.id;
  idp = await startOidcProvider({
    redirectUris: [provider.redirectUri],
    clientSecret: CLIENT_SECRET,
    accounts: {
      nina: { email: "nina@newco.test", email_verified: true, name: "Nina Newcomer" },
      mira: { email: "mira@acme.test", email_verified: true },
      uma: { email: "uma@acme.test", email_verified: false },
      dora: { email: "dora@acme.test", email_verified: true },
      tara: { email: "tara@acme.test", email_verified: true },
      olaf: { email: "olaf@elsewhere.test", email_verified: true },
      vic: { email: "vic@newco.test", email_verified: false },
    },
  });
  expect((await adminJson(`/api/v1/sso-providers/${providerId}`, "PATCH", { issuer: idp.issuer })).status).toBe(200);
  // The instance admin allows the loopback provider, as an admin would for an on-prem Keycloak.
  const allowed = await box.fetch("/settings/sso/private-hosts", {
    method: "POST",
    headers: { ...consoleHeaders(box, adminCookie), "Content-Type": "application/x-www-form-urlencoded" },
    body: "hosts=127.0.0.1",
  });
  expect(allowed.status).toBe(200);
});
afterAll(async () => {
  await idp?.close();
  await box?.close();
});

/** /auth/sso/:id/start → the flow cookie and the provider's authorisation URL. */
async function start(next?: string): Promise<{ flowCookie: string; location: URL }> {
  const response = await box.fetch(`/auth/sso/${providerId}/start${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  expect(response.status).toBe(302);
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith("opsbox_sso_flow="));
  if (!setCookie) throw new Error("no flow cookie");
  return { flowCookie: setCookie.split(";")[0] ?? "", location: new URL(response.headers.get("Location") ?? "") };
}

/** The whole round trip as `login`; answers Opsbox's response to the callback. */
async function signInAs(login: string, options: { next?: string; tamper?: (cookie: string) => string } = {}) {
  const { flowCookie, location } = await start(options.next);
  const callback = await signInAtProvider(location.href, login);
  const cookie = options.tamper ? options.tamper(flowCookie) : flowCookie;
  return box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: cookie } });
}

function sessionOf(response: Response): string | null {
  const name = sessionCookieName(box.config.baseUrl);
  const line = response.headers.getSetCookie().find((entry) => entry.startsWith(`${name}=`));
  return line ? (line.split(";")[0] ?? null) : null;
}

function auditOf(action: string) {
  return box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();
}

describe("starting a sign-in", () => {
  test("redirects to the provider with state, nonce and an S256 PKCE challenge, kept in a short-lived HttpOnly cookie", async () => {
    const response = await box.fetch(`/auth/sso/${providerId}/start`);
    const location = new URL(response.headers.get("Location") ?? "");
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get("client_id")).toBe("opsbox-test");
    expect(location.searchParams.get("redirect_uri")).toBe(`${box.config.baseUrl}/auth/sso/${providerId}/callback`);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get("state")).toBeTruthy();
    expect(location.searchParams.get("nonce")).toBeTruthy();
    expect(location.searchParams.get("scope")).toBe("openid email profile");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("opsbox_sso_flow=")) ?? "";
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Max-Age=600");
    expect(cookie).toContain("Path=/auth/sso/");
  });

  test("an unknown provider answers 404", async () => {
    expect((await box.fetch("/auth/sso/sso_nope/start")).status).toBe(404);
  });
});

describe("completing a sign-in", () => {
  test("a verified e-mail at a domain with a rule creates an active member without a password", async () => {
    const response = await signInAs("nina", { next: "/settings/users?tab=2" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/settings/users?tab=2");
    const user = box.deps.db.select().from(users).where(eq(users.email, "nina@newco.test")).get();
    expect(user).toMatchObject({ name: "Nina Newcomer", status: "active", passwordHash: null });
    const membership = box.deps.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, user?.id ?? ""), eq(memberships.orgId, setup.orgId)))
      .get();
    expect(membership?.role).toBe("member");
    expect(auditOf("auth.sso_user_created").map((event) => event.targetId)).toContain(user?.id ?? "missing");
    const signIn = auditOf("auth.sign_in").find((event) => event.actorUserId === user?.id);
    expect(signIn?.details).toEqual({ method: "sso:oidc" });

    const me = await box.fetch("/api/v1/me", { headers: { Cookie: sessionOf(response) ?? "" } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: "nina@newco.test", role: "member", pending: null });
  });

  test("the same person signing in again gets the same account", async () => {
    const response = await signInAs("nina");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/");
    expect(box.deps.db.select().from(users).where(eq(users.email, "nina@newco.test")).all()).toHaveLength(1);
  });

  test("an existing member is linked when the provider vouches for the e-mail", async () => {
    const response = await signInAs("mira");
    expect(response.status).toBe(303);
    const mira = box.deps.db.select().from(users).where(eq(users.email, "mira@acme.test")).get();
    const link = box.deps.db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, "mira")).get();
    expect(link?.userId).toBe(mira?.id ?? "missing");
    expect(auditOf("auth.sso_linked").map((event) => event.targetId)).toContain(mira?.id ?? "missing");
  });

  test("an unverified e-mail is never linked to an existing account", async () => {
    const response = await signInAs("uma");
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain("did not confirm that uma@acme.test is yours");
    expect(sessionOf(response)).toBeNull();
    expect(box.deps.db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, "uma")).get()).toBeUndefined();
    expect(auditOf("auth.sso_refused").some((event) => event.details?.reason === "unverified_email")).toBe(true);
  });

  test("an unverified e-mail does not join through a domain rule either", async () => {
    const response = await signInAs("vic");
    expect(response.status).toBe(403);
    expect(box.deps.db.select().from(users).where(eq(users.email, "vic@newco.test")).get()).toBeUndefined();
  });

  test("a domain without a rule is refused", async () => {
    const response = await signInAs("olaf");
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("no rule lets the address join");
    expect(box.deps.db.select().from(users).where(eq(users.email, "olaf@elsewhere.test")).get()).toBeUndefined();
  });

  test("a deactivated person is refused", async () => {
    const response = await signInAs("dora");
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("deactivated");
    expect(sessionOf(response)).toBeNull();
  });

  test("a person with two-factor authentication still owes the second factor", async () => {
    const response = await signInAs("tara", { next: "/settings/users" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/sign-in/two-factor?next=%2Fsettings%2Fusers");
    const me = await box.fetch("/api/v1/me", { headers: { Cookie: sessionOf(response) ?? "" } });
    expect(((await me.json()) as { pending: string }).pending).toBe("two_factor");
  });
});

describe("a provider that keeps the e-mail out of the ID token", () => {
  test("the e-mail is read from the userinfo endpoint for the same subject", async () => {
    const created = await adminJson("/api/v1/sso-providers", "POST", {
      kind: "oidc",
      name: "Zitadel",
      issuer: "https://zitadel.acme.test",
      clientId: "opsbox-test",
      clientSecret: CLIENT_SECRET,
      domainRules: [{ domain: "newco.test", role: "viewer" }],
    });
    const provider = (await created.json()) as { id: string; redirectUri: string };
    const lean = await startOidcProvider({
      redirectUris: [provider.redirectUri],
      clientSecret: CLIENT_SECRET,
      claimsInIdToken: false,
      accounts: { zed: { email: "zed@newco.test", email_verified: true, name: "Zed" } },
    });
    try {
      await adminJson(`/api/v1/sso-providers/${provider.id}`, "PATCH", { issuer: lean.issuer });
      const started = await box.fetch(`/auth/sso/${provider.id}/start`);
      const flowCookie = (started.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
      const callback = await signInAtProvider(started.headers.get("Location") ?? "", "zed");
      const response = await box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: flowCookie } });
      expect(response.status).toBe(303);
      const zed = box.deps.db.select().from(users).where(eq(users.email, "zed@newco.test")).get();
      expect(zed?.name).toBe("Zed");
    } finally {
      await lean.close();
    }
  });
});

describe("refusing forged or replayed answers", () => {
  test("a callback whose state does not match the cookie is refused", async () => {
    const swapped = await signInAs("nina", {
      tamper: (cookie) => {
        const [name, value] = cookie.split("=");
        const flow = JSON.parse(Buffer.from(value ?? "", "base64url").toString()) as Record<string, string>;
        return `${name}=${Buffer.from(JSON.stringify({ ...flow, state: "forged" })).toString("base64url")}`;
      },
    });
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain("This sign-in could not be verified");
    const withoutCookie = await signInAs("nina", { tamper: () => "" });
    expect(withoutCookie.status).toBe(403);
    expect(sessionOf(withoutCookie)).toBeNull();
    expect(auditOf("auth.sso_refused").some((event) => event.details?.reason === "state_mismatch")).toBe(true);
  });

  test("the PKCE verifier is sent: the provider refuses the code with any other", async () => {
    const before = idp.grantErrors.length;
    const response = await signInAs("nina", {
      tamper: (cookie) => {
        const [name, value] = cookie.split("=");
        const flow = JSON.parse(Buffer.from(value ?? "", "base64url").toString()) as Record<string, string>;
        const codeVerifier = "x".repeat(43);
        return `${name}=${Buffer.from(JSON.stringify({ ...flow, codeVerifier })).toString("base64url")}`;
      },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("did not accept the sign-in (invalid_grant)");
    expect(idp.grantErrors.slice(before)).toContain("invalid_grant");
  });

  test("an answer that names another issuer is refused (RFC 9207)", async () => {
    const { flowCookie, location } = await start();
    const callback = await signInAtProvider(location.href, "nina");
    expect(callback.searchParams.get("iss")).toBe(idp.issuer);
    callback.searchParams.set("iss", "https://evil.test");
    const response = await box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: flowCookie } });
    expect(response.status).toBe(403);
    expect(sessionOf(response)).toBeNull();
  });

  test("the flow cookie is spent by its callback", async () => {
    const { flowCookie, location } = await start();
    const callback = await signInAtProvider(location.href, "nina");
    const first = await box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: flowCookie } });
    expect(first.status).toBe(303);
    expect(first.headers.getSetCookie().some((line) => line.startsWith("opsbox_sso_flow=;"))).toBe(true);
  });
});

describe("outbound guard", () => {
  test("a provider on loopback is refused once its host is no longer allowed", async () => {
    const headers = { ...consoleHeaders(box, adminCookie), "Content-Type": "application/x-www-form-urlencoded" };
    await box.fetch("/settings/sso/private-hosts", { method: "POST", headers, body: "hosts=" });
    expect(findOrganizationPrivateHosts(box.deps.db, setup.orgId)).toEqual([]);
    try {
      const response = await box.fetch(`/auth/sso/${providerId}/start`);
      expect(response.status).toBe(503);
      // Anonymous visitors learn nothing of the box's network; the instance admin sees why.
      expect(await response.text()).not.toContain("127.0.0.1");
      const forAdmin = await box.fetch(`/auth/sso/${providerId}/start`, { headers: { Cookie: adminCookie } });
      expect(await forAdmin.text()).toContain("127.0.0.1 is not one");
    } finally {
      await box.fetch("/settings/sso/private-hosts", { method: "POST", headers, body: "hosts=127.0.0.1" });
    }
  });

  test("the client secret never appears in a response or a log line", async () => {
    const list = await box.fetch("/api/v1/sso-providers", { headers: { Cookie: adminCookie } });
    expect(await list.text()).not.toContain(CLIENT_SECRET);
    const page = await box.fetch("/settings/sso", { headers: { Cookie: adminCookie } });
    expect(await page.text()).not.toContain(CLIENT_SECRET);
    const logs = JSON.stringify(box.logs);
    expect(logs).not.toContain(CLIENT_SECRET);
    expect(logs).not.toContain(encodeURIComponent(CLIENT_SECRET));
  });
});
