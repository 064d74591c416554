import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { memberships, ssoIdentities, users } from "../../../models/identity.ts";
import { sessionCookieName } from "../../http/session-cookie.ts";
import { saveOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { freePort, type TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from "../../testing/oidc-test-provider.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { apiAs, latestMail, linkOf, waitForMail } from "../people/people-test-kit.ts";
import { rolePermissions } from "../roles/permissions.ts";

/**
 * Issue 11, finding 3: Beta's admin adds Acme's Mel, registers a provider Beta controls whose
 * login claims Mel's address with `email_verified: true`, and signs in through it. Only the
 * provider of the organisation that made the account (its home) may link it.
 */

let box: TestApp;
let idp: TestOidcProvider;
let acme: { orgId: string; adminId: string };
let beta: { orgId: string; adminId: string };
let mel = "";
let betaProviderId = "";
let acmeProviderId = "";

beforeAll(async () => {
  const port = freePort();
  box = await startInProcessApp({ env: { PORT: String(port), OPSBOX_BASE_URL: `http://127.0.0.1:${port}` } });
  const setup = await setUpBox(box, { name: "Acme" });
  acme = { orgId: setup.orgId, adminId: setup.adminId };
  beta = await createOrganization(box, "Beta");
  mel = await createUser(box, { orgId: acme.orgId, role: "member", email: "mel@acme.example", name: "Mel" });
  const betaAdmin = apiAs(box, sessionCookie(box, beta.adminId, beta.orgId));
  expect(
    (await betaAdmin("POST", "/api/v1/users", { email: "mel@acme.example", name: "Mel", role: "viewer" })).status,
  ).toBe(201);
  const created = await betaAdmin("POST", "/api/v1/sso-providers", {
    kind: "oidc",
    name: "Beta Login",
    issuer: "https://login.beta.test",
    clientId: "opsbox-test",
    clientSecret: "beta-secret",
    domainRules: [{ domain: "acme.example", role: "manager" }],
  });
  expect(created.status).toBe(201);
  const provider = (await created.json()) as { id: string; redirectUri: string };
  betaProviderId = provider.id;
  const acmeAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  const acmeCreated = await acmeAdmin("POST", "/api/v1/sso-providers", {
    kind: "oidc",
    name: "Acme Login",
    issuer: "https://login.acme.test",
    clientId: "opsbox-test",
    clientSecret: "beta-secret",
    domainRules: [],
  });
  const acmeProvider = (await acmeCreated.json()) as { id: string; redirectUri: string };
  acmeProviderId = acmeProvider.id;
  idp = await startOidcProvider({
    redirectUris: [provider.redirectUri, acmeProvider.redirectUri],
    clientSecret: "beta-secret",
    accounts: {
      mel: { email: "mel@acme.example", email_verified: true, name: "Mel" },
      // Probes a provider's owner could try, to learn which addresses have accounts elsewhere.
      knownUnverified: { email: "admin@beta.test", email_verified: false },
      knownVerified: { email: "admin@beta.test", email_verified: true },
      unknownUnverified: { email: "nobody@beta.test", email_verified: false },
      unknownVerified: { email: "nobody@beta.test", email_verified: true },
      squat: { email: "cfo@beta.test", email_verified: true, name: "Not the CFO" },
      // An address at a domain Beta's rule names but Beta does not own: Acme's.
      claim: { email: "cfo@acme.example", email_verified: true, name: "Not Acme's CFO" },
    },
  });
  expect((await betaAdmin("PATCH", `/api/v1/sso-providers/${betaProviderId}`, { issuer: idp.issuer })).status).toBe(
    200,
  );
  expect((await acmeAdmin("PATCH", `/api/v1/sso-providers/${acmeProviderId}`, { issuer: idp.issuer })).status).toBe(
    200,
  );
  // The worst case: the instance admin even allowed Beta's loopback provider (and Acme's, its real one).
  saveOrganizationPrivateHosts(box.deps.db, beta.orgId, ["127.0.0.1"]);
  saveOrganizationPrivateHosts(box.deps.db, acme.orgId, ["127.0.0.1"]);
});
afterAll(async () => {
  await idp?.close();
  await box?.close();
});

async function signInThrough(providerId: string, login = "mel"): Promise<Response> {
  const started = await box.fetch(`/auth/sso/${providerId}/start`);
  expect(started.status).toBe(302);
  const flow = started.headers.getSetCookie().find((line) => line.startsWith("opsbox_sso_flow=")) ?? "";
  const callback = await signInAtProvider(started.headers.get("Location") ?? "", login);
  return box.fetch(`${callback.pathname}${callback.search}`, { headers: { Cookie: flow.split(";")[0] ?? "" } });
}

function sessionOf(response: Response): string | null {
  const name = sessionCookieName(box.config.baseUrl);
  const line = response.headers
    .getSetCookie()
    .find((entry) => entry.startsWith(`${name}=`) && !entry.startsWith(`${name}=;`));
  return line ? (line.split(";")[0] ?? null) : null;
}

function hasSession(response: Response): boolean {
  return sessionOf(response) !== null;
}

function melLinks() {
  return box.deps.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, mel)).all();
}

describe("critical: single sign-on links only through the account's home organisation", () => {
  test("Beta's provider cannot open Acme's Mel while Mel has not joined Beta; Acme's audit log says so", async () => {
    const response = await signInThrough(betaProviderId);
    expect(response.status).toBe(403);
    expect(hasSession(response)).toBe(false);
    expect(melLinks()).toEqual([]);
    const told = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, acme.orgId), eq(auditEvents.action, "auth.sso_refused_elsewhere")))
      .all();
    expect(told.map((event) => event.targetId)).toContain(mel);
    expect(told[0]?.details).toMatchObject({ organization: "Beta", provider: "Beta Login" });
  });

  test("even after Mel joins Beta of her own accord, Beta's provider cannot link her account", async () => {
    const joinPath = linkOf(latestMail(box, "mel@acme.example") ?? (null as never)).path;
    const first = await box.fetch(joinPath);
    const joinCookie = (first.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const accepted = await box.fetch("/invitations/join/accept", {
      method: "POST",
      headers: consoleHeaders(box, `${sessionCookie(box, mel, acme.orgId)}; ${joinCookie}`),
    });
    expect(accepted.status).toBe(200);
    const orgs = box.deps.db.select().from(memberships).where(eq(memberships.userId, mel)).all();
    expect(orgs.map((row) => row.orgId).sort()).toEqual([acme.orgId, beta.orgId].sort());

    const response = await signInThrough(betaProviderId);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("was not created by Beta");
    expect(hasSession(response)).toBe(false);
    expect(melLinks()).toEqual([]);
  });

  test("a session from the home organisation's provider works there only: it cannot switch into Beta", async () => {
    // The test kit's sessions marked a second factor as done; without one the round trip signs her in at once.
    box.deps.db.update(users).set({ totpEnabledAt: null }).where(eq(users.id, mel)).run();
    const response = await signInThrough(acmeProviderId);
    expect(response.status).toBe(303);
    const cookie = sessionOf(response);
    if (!cookie) throw new Error("no session");
    expect(melLinks()).toHaveLength(1);
    const call = apiAs(box, cookie);
    const me = (await (await call("GET", "/api/v1/me")).json()) as { organization: { id: string } };
    expect(me.organization.id).toBe(acme.orgId);
    const switched = await call("POST", "/api/v1/me/organization", { organizationId: beta.orgId });
    expect(switched.status).toBe(409);
    const still = (await (await call("GET", "/api/v1/me")).json()) as {
      organization: { id: string };
      organizations: { id: string }[];
    };
    expect(still.organization.id).toBe(acme.orgId);
    // It does not even tell Acme where else Mel works.
    expect(still.organizations.map((organization) => organization.id)).toEqual([acme.orgId]);
  });

  test("the home provider's session cannot change the account Mel uses in Beta: no 2FA, sessions, keys or invitations", async () => {
    box.deps.db.update(users).set({ totpEnabledAt: null }).where(eq(users.id, mel)).run();
    const inBeta = sessionCookie(box, mel, beta.orgId);
    const { key } = createApiKey(
      box.deps.db,
      { orgId: beta.orgId, userId: mel, name: "beta-key", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.viewer,
    );
    box.deps.db.update(users).set({ totpEnabledAt: null }).where(eq(users.id, mel)).run();
    const pinned = sessionOf(await signInThrough(acmeProviderId));
    if (!pinned) throw new Error("no session");
    const call = apiAs(box, pinned);
    expect((await call("GET", "/api/v1/me/sessions")).status).toBe(403);
    expect((await call("POST", "/api/v1/me/two-factor")).status).toBe(403);
    expect((await call("DELETE", "/api/v1/me/sessions/others", { revokeApiKeys: true })).status).toBe(403);
    expect((await call("POST", "/api/v1/me/password", { currentPassword: "x", newPassword: "y" })).status).toBe(403);
    expect(((await (await call("GET", "/api/v1/me/invitations")).json()) as { data: unknown[] }).data).toEqual([]);
    const account = await box.fetch("/account", { headers: { Cookie: pinned } });
    expect(account.status).toBe(403);
    expect(await account.text()).toContain("Sign in with your password");
    // Mel's own Beta session and key are untouched.
    expect((await apiAs(box, inBeta)("GET", "/api/v1/me")).status).toBe(200);
    expect((await box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  test("a provider learns nothing of other organisations' addresses: every refusal reads the same", async () => {
    const pageOf = async (login: string) => {
      const response = await signInThrough(acmeProviderId, login);
      expect(response.status).toBe(403);
      const text = await response.text();
      return /<p>([^<]*)<\/p>/.exec(text)?.[1]?.replace(/[\w.+-]+@beta\.test/, "ADDRESS") ?? text;
    };
    const answers = new Set([
      await pageOf("knownUnverified"),
      await pageOf("knownVerified"),
      await pageOf("unknownUnverified"),
      await pageOf("unknownVerified"),
    ]);
    expect(answers.size).toBe(1);
    const reasons = box.deps.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, acme.orgId), eq(auditEvents.action, "auth.sso_refused")))
      .all()
      .map((event) => event.details?.reason);
    expect(new Set(reasons)).toEqual(new Set(["not_member"]));
    // Beta hears that Acme's provider reached for its admin, even unverified.
    const told = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, beta.orgId), eq(auditEvents.action, "auth.sso_refused_elsewhere")))
      .all();
    expect(told.map((event) => event.targetId)).toContain(beta.adminId);
  });

  test("Mel leaves the organisation that made her account: its provider can no longer open it, Beta keeps her", async () => {
    const inBeta = apiAs(box, sessionCookie(box, mel, beta.orgId));
    expect((await inBeta("POST", `/api/v1/me/organizations/${acme.orgId}/leave`)).status).toBe(204);
    const left = box.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, acme.orgId), eq(auditEvents.action, "user.left")))
      .all();
    expect(left.map((event) => event.targetId)).toEqual([mel]);
    box.deps.db.update(users).set({ totpEnabledAt: null }).where(eq(users.id, mel)).run();
    const response = await signInThrough(acmeProviderId);
    expect(response.status).toBe(403);
    expect(sessionOf(response)).toBeNull();
    expect((await inBeta("GET", "/api/v1/me")).status).toBe(200);
    // Another organisation's id is 404, and the last admin of an organisation cannot leave it.
    expect((await inBeta("POST", `/api/v1/me/organizations/${acme.orgId}/leave`)).status).toBe(404);
    const betaAdmin = apiAs(box, sessionCookie(box, beta.adminId, beta.orgId));
    expect((await betaAdmin("POST", `/api/v1/me/organizations/${beta.orgId}/leave`)).status).toBe(409);
  });

  test("a domain rule for a domain the instance admin has not approved makes no account: the refusal reads as any other", async () => {
    const betaAdmin = apiAs(box, sessionCookie(box, beta.adminId, beta.orgId));
    const shown = (await (await betaAdmin("GET", `/api/v1/sso-providers/${betaProviderId}`)).json()) as {
      domainRules: { domain: string; role: string; approved: boolean }[];
    };
    expect(shown.domainRules).toEqual([{ domain: "acme.example", role: "manager", approved: false }]);
    const paragraphOf = async (response: Response) =>
      /<p>([^<]*)<\/p>/.exec(await response.text())?.[1]?.replace(/[\w.+-]+@[\w.-]+/, "ADDRESS");

    const claimed = await signInThrough(betaProviderId, "claim");
    expect(claimed.status).toBe(403);
    expect(hasSession(claimed)).toBe(false);
    expect(box.deps.db.select().from(users).where(eq(users.email, "cfo@acme.example")).get()).toBeUndefined();
    const unknown = await signInThrough(betaProviderId, "unknownVerified");
    expect(await paragraphOf(claimed)).toBe(await paragraphOf(unknown));
    const refusals = box.deps.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, beta.orgId), eq(auditEvents.action, "auth.sso_refused")))
      .all()
      .filter((event) => event.details?.email === "cfo@acme.example");
    expect(refusals.map((event) => event.details?.reason)).toEqual(["not_member"]);

    // Acme's invitation of its CFO is then an ordinary one: a new account, Acme's, with a password link.
    const acmeAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
    const invited = await acmeAdmin("POST", "/api/v1/invitations", { email: "cfo@acme.example", role: "manager" });
    expect(invited.status).toBe(201);
    const mail = latestMail(box, "cfo@acme.example");
    expect(mail?.template).toBe("invitation");
    expect(linkOf(mail ?? (null as never)).path).toStartWith("/invitations/accept?");
    const account = box.deps.db.select().from(users).where(eq(users.email, "cfo@acme.example")).get();
    expect(account).toMatchObject({ homeOrgId: acme.orgId, status: "invited" });
  });

  test("an address another organisation's domain rule claimed is taken back by its owner through the mailbox", async () => {
    // Acme's admin set the box up: the instance admin's own rule counts at once (no other admin's would).
    const acmeAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
    const rule = { domainRules: [{ domain: "beta.test", role: "member" }] };
    expect((await acmeAdmin("PATCH", `/api/v1/sso-providers/${acmeProviderId}`, rule)).status).toBe(200);
    expect((await signInThrough(acmeProviderId, "squat")).status).toBe(303);
    const betaAdmin = apiAs(box, sessionCookie(box, beta.adminId, beta.orgId));
    expect((await betaAdmin("POST", "/api/v1/invitations", { email: "cfo@beta.test", role: "manager" })).status).toBe(
      201,
    );
    const joinPath = linkOf(latestMail(box, "cfo@beta.test") ?? (null as never)).path;

    // The real CFO reads the mailbox: a reset gives the account a password only they know.
    const since = Date.now();
    const anonymous = apiAs(box, null);
    expect((await anonymous("POST", "/api/v1/auth/password-reset", { email: "cfo@beta.test" })).status).toBe(204);
    const reset = await waitForMail(box, "cfo@beta.test", "password_reset", since);
    const password = "harbour violet compass 27";
    const confirmed = await anonymous("POST", "/api/v1/auth/password-reset/confirm", {
      token: linkOf(reset).token,
      password,
    });
    expect(confirmed.status).toBe(204);
    const login = await anonymous("POST", "/api/v1/auth/login", { email: "cfo@beta.test", password });
    expect(login.status).toBe(200);
    const own = sessionOf(login);
    if (!own) throw new Error("no session");

    // With both halves (their sign-in and Beta's link) they join Beta, then leave Acme.
    const first = await box.fetch(joinPath);
    const joinCookie = (first.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const accepted = await box.fetch("/invitations/join/accept", {
      method: "POST",
      headers: consoleHeaders(box, `${own}; ${joinCookie}`),
    });
    expect(accepted.status).toBe(200);
    const cfo = box.deps.db.select().from(users).where(eq(users.email, "cfo@beta.test")).get();
    const call = apiAs(box, own);
    const leaving = await call("POST", `/api/v1/me/organizations/${acme.orgId}/leave`);
    expect(leaving.status).toBe(204);
    const orgs = box.deps.db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, cfo?.id ?? ""))
      .all();
    expect(orgs.map((row) => row.orgId)).toEqual([beta.orgId]);
    // Acme's provider can no longer open the account.
    const again = await signInThrough(acmeProviderId, "squat");
    expect(again.status).toBe(403);
    expect(sessionOf(again)).toBeNull();
  });
});
