import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { membershipInvitations, memberships, users } from "../../../models/identity.ts";
import { mailMessages } from "../../../models/mail.ts";
import { sessionCookieName } from "../../http/session-cookie.ts";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { rolePermissions } from "../roles/permissions.ts";
import { apiAs, type Call, latestMail, linkOf } from "./people-test-kit.ts";

/**
 * An admin of one organisation attacking the people of another, on one box: the findings of
 * issue 11, each replayed step by step. Every test here took something over before the
 * account/membership split; now none may.
 */

let box: TestApp;
let acme: { orgId: string; adminId: string };
let beta: { orgId: string; adminId: string };
let gamma: { orgId: string; adminId: string };
let acmeAdmin: Call;
let betaAdmin: Call;
let gammaAdmin: Call;

const CHOSEN_PASSWORD = "attacker chosen passphrase 9";

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box, { name: "Acme" });
  acme = { orgId: setup.orgId, adminId: setup.adminId };
  beta = await createOrganization(box, "Beta");
  gamma = await createOrganization(box, "Gamma");
  acmeAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  betaAdmin = apiAs(box, sessionCookie(box, beta.adminId, beta.orgId));
  gammaAdmin = apiAs(box, sessionCookie(box, gamma.adminId, gamma.orgId));
});
afterAll(() => box.close());

function mailsTo(address: string, orgId: string) {
  return box.deps.db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.toAddress, address), eq(mailMessages.orgId, orgId)))
    .all();
}

function orgsOf(userId: string): string[] {
  return box.deps.db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .all()
    .map((row) => row.orgId)
    .sort();
}

function accountOf(email: string) {
  const user = box.deps.db.select().from(users).where(eq(users.email, email)).get();
  if (!user) throw new Error(`no account ${email}`);
  return user;
}

function auditIn(orgId: string, action: string) {
  return box.deps.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)))
    .all();
}

function sessionOf(response: Response): string {
  const name = sessionCookieName(box.config.baseUrl);
  const line = response.headers.getSetCookie().find((entry) => entry.startsWith(`${name}=`));
  if (!line) throw new Error("no session cookie");
  return line.split(";")[0] ?? "";
}

/** Opens an e-mailed link like a browser: the answer moves the token into a cookie. */
async function linkCookie(path: string): Promise<string> {
  const first = await box.fetch(path);
  expect(first.status).toBe(303);
  return (first.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** Accepts a new account's invitation with a password; answers the new session's cookie. */
async function acceptNewAccount(path: string, password: string): Promise<string> {
  const cookie = await linkCookie(path);
  const response = await box.fetch("/invitations/accept", {
    method: "POST",
    headers: { ...consoleHeaders(box, cookie), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password, confirm: password }).toString(),
  });
  expect(response.status).toBe(200);
  return sessionOf(response);
}

/** Answers an existing account's invitation (the e-mailed link) signed in with `session`. */
async function answerJoin(path: string, session: string, answer: "accept" | "decline"): Promise<Response> {
  const cookie = await linkCookie(path);
  return box.fetch(`/invitations/join/${answer}`, {
    method: "POST",
    headers: consoleHeaders(box, `${session}; ${cookie}`),
  });
}

describe("critical: a pending invitation cannot be hijacked", () => {
  test("another organisation's invitation of the same address issues no password link and activates nothing", async () => {
    expect(
      (await betaAdmin("POST", "/api/v1/invitations", { email: "newhire@beta.example", role: "manager" })).status,
    ).toBe(201);
    const betaLink = linkOf(latestMail(box, "newhire@beta.example") ?? (null as never)).path;
    expect(betaLink).toStartWith("/invitations/accept?token=");

    const hijack = await acmeAdmin("POST", "/api/v1/invitations", { email: "newhire@beta.example", role: "viewer" });
    expect(hijack.status).toBe(201);
    expect(await hijack.json()).toMatchObject({ email: "newhire@beta.example", role: "viewer" });
    // Acme's outbox holds no link that sets the password, and Acme got no membership.
    const acmeMails = mailsTo("newhire@beta.example", acme.orgId);
    expect(acmeMails.map((mail) => mail.template)).toEqual(["membership_invitation"]);
    expect(acmeMails.some((mail) => mail.textBody.includes("/invitations/accept"))).toBe(false);
    const account = accountOf("newhire@beta.example");
    expect(orgsOf(account.id)).toEqual([beta.orgId]);
    expect(account.homeOrgId).toBe(beta.orgId);

    // Acme's link is useless without the person's own session: it offers only to sign in.
    const joinPath = linkOf(acmeMails[0] ?? (null as never)).path;
    const page = await box.fetch("/invitations/join", { headers: { Cookie: await linkCookie(joinPath) } });
    expect(await page.text()).toContain("Sign in as newhire@beta.example");
    const anonymous = await box.fetch("/invitations/join/accept", {
      method: "POST",
      headers: { Cookie: await linkCookie(joinPath), Origin: new URL(box.url).origin, "HX-Request": "true" },
    });
    expect(anonymous.headers.get("HX-Redirect")).toStartWith("/sign-in");
    expect(orgsOf(account.id)).toEqual([beta.orgId]);

    // The real invitee's link still works and activates the Beta membership only.
    const session = await acceptNewAccount(betaLink, "copper meadow violin 31");
    expect(orgsOf(account.id)).toEqual([beta.orgId]);
    const me = await apiAs(box, session)("GET", "/api/v1/me");
    expect(await me.json()).toMatchObject({ organization: { id: beta.orgId }, role: "manager" });
    const invitations = (await (await apiAs(box, session)("GET", "/api/v1/me/invitations")).json()) as {
      data: { organization: { name: string } }[];
    };
    expect(invitations.data.map((one) => one.organization.name)).toEqual(["Acme"]);
  });

  test("the first admin of an organisation made through the API keeps their link when another organisation invites them", async () => {
    const created = await acmeAdmin("POST", "/api/v1/organizations", {
      name: "Delta",
      adminEmail: "boss@delta.example",
    });
    expect(created.status).toBe(201);
    const deltaId = ((await created.json()) as { id: string }).id;
    const deltaLink = linkOf(latestMail(box, "boss@delta.example") ?? (null as never)).path;
    expect(
      (await betaAdmin("POST", "/api/v1/users", { email: "boss@delta.example", name: "Boss", role: "admin" })).status,
    ).toBe(201);
    expect(
      mailsTo("boss@delta.example", beta.orgId).some((mail) => mail.textBody.includes("/invitations/accept")),
    ).toBe(false);
    await acceptNewAccount(deltaLink, "quiet harbour window 58");
    expect(orgsOf(accountOf("boss@delta.example").id)).toEqual([deltaId]);
  });
});

describe("critical: an address cannot be claimed before its organisation invites it", () => {
  test("an account Acme made for cfo@beta.example does not become Beta's admin when Beta invites its CFO", async () => {
    await acmeAdmin("POST", "/api/v1/invitations", { email: "cfo@beta.example", role: "viewer" });
    const acmeLink = linkOf(latestMail(box, "cfo@beta.example") ?? (null as never)).path;
    const attacker = await acceptNewAccount(acmeLink, CHOSEN_PASSWORD);

    const invited = await betaAdmin("POST", "/api/v1/invitations", { email: "cfo@beta.example", role: "admin" });
    expect(invited.status).toBe(201);
    const cfo = accountOf("cfo@beta.example");
    const seen = (await (await betaAdmin("GET", `/api/v1/users/${cfo.id}`)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ status: "invited", twoFactorEnabled: false, lastSignInAt: null });
    expect(orgsOf(cfo.id)).toEqual([acme.orgId]);

    const call = apiAs(box, attacker);
    expect((await call("POST", "/api/v1/me/organization", { organizationId: beta.orgId })).status).toBe(404);
    // The session alone cannot accept: the link went to the address, not to Acme.
    const guessed = await call("POST", "/api/v1/me/invitations/accept", { token: "mem_guess.secretsecretsecret" });
    expect(guessed.status).toBe(404);
    expect(orgsOf(cfo.id)).toEqual([acme.orgId]);
    expect(mailsTo("cfo@beta.example", acme.orgId).every((mail) => !mail.textBody.includes("/invitations/join"))).toBe(
      true,
    );
  });

  test("the e-mailed link accepts only together with the invited account's own session", async () => {
    const mel = await createUser(box, { orgId: gamma.orgId, role: "member", email: "mel@gamma.example" });
    await betaAdmin("POST", "/api/v1/invitations", { email: "mel@gamma.example", role: "viewer" });
    const joinPath = linkOf(latestMail(box, "mel@gamma.example") ?? (null as never)).path;
    expect(joinPath).toStartWith("/invitations/join?token=");
    // Beta's admin holds the link but not Mel's session: the page refuses them.
    const wrong = await answerJoin(joinPath, sessionCookie(box, beta.adminId, beta.orgId), "accept");
    expect(wrong.status).toBe(400);
    expect(orgsOf(mel)).toEqual([gamma.orgId]);
    const accepted = await answerJoin(joinPath, sessionCookie(box, mel, gamma.orgId), "accept");
    expect(accepted.status).toBe(200);
    expect(orgsOf(mel)).toEqual([beta.orgId, gamma.orgId].sort());
    expect(auditIn(beta.orgId, "user.joined").map((event) => event.targetId)).toContain(mel);
    // Used once.
    expect((await answerJoin(joinPath, sessionCookie(box, mel, gamma.orgId), "accept")).status).toBe(400);
  });
});

describe("high: adding an existing account needs the person's consent and reveals nothing", () => {
  let sam = "";
  let samSessionInGamma = "";
  beforeAll(async () => {
    sam = await createUser(box, { orgId: gamma.orgId, role: "manager", email: "sam@gamma.example", name: "Sam Real" });
    box.deps.db
      .update(users)
      .set({ totpEnabledAt: new Date(), lastSignInAt: new Date() })
      .where(eq(users.id, sam))
      .run();
    samSessionInGamma = sessionCookie(box, sam, gamma.orgId);
  });

  test("an invited account shows only what the inviting organisation typed, in the API and the console", async () => {
    const response = await acmeAdmin("POST", "/api/v1/users", {
      email: "sam@gamma.example",
      name: "IT Helpdesk - reply with your password",
      role: "manager",
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: sam,
      name: "IT Helpdesk - reply with your password",
      status: "invited",
      twoFactorEnabled: false,
      lastSignInAt: null,
    });
    const list = (await (await acmeAdmin("GET", "/api/v1/users?limit=200")).json()) as {
      data: Record<string, unknown>[];
    };
    expect(list.data.find((person) => person.id === sam)).toEqual(body);
    const page = await (
      await box.fetch("/settings/users", { headers: { Cookie: sessionCookie(box, acme.adminId, acme.orgId) } })
    ).text();
    expect(page).not.toContain("Sam Real");
    expect(accountOf("sam@gamma.example").name).toBe("Sam Real");
    expect(orgsOf(sam)).toEqual([gamma.orgId]);
    // Gamma hears of it in its own audit log.
    expect(auditIn(gamma.orgId, "user.invited_elsewhere").map((event) => event.targetId)).toContain(sam);
  });

  test("a pending person cannot be renamed box-wide, deactivated or signed out by the inviting organisation", async () => {
    const renamed = await acmeAdmin("PATCH", `/api/v1/users/${sam}`, { name: "Renamed by Acme", role: "viewer" });
    expect(renamed.status).toBe(200);
    expect(accountOf("sam@gamma.example").name).toBe("Sam Real");
    expect((await acmeAdmin("PATCH", `/api/v1/users/${sam}`, { status: "deactivated" })).status).toBe(409);
    expect(accountOf("sam@gamma.example").status).toBe("active");
    expect((await apiAs(box, samSessionInGamma)("GET", "/api/v1/me")).status).toBe(200);
    const gammaView = (await (await gammaAdmin("GET", `/api/v1/users/${sam}`)).json()) as Record<string, unknown>;
    expect(gammaView).toMatchObject({ name: "Sam Real", status: "active", twoFactorEnabled: true });
  });

  test("after Sam joins, Acme's name and role changes stay in Acme, and Gamma removes its leaver on its own", async () => {
    // The role changed after the first e-mail, so Acme sends the invitation again.
    await acmeAdmin("POST", "/api/v1/invitations", { email: "sam@gamma.example", role: "viewer" });
    const joinPath = linkOf(latestMail(box, "sam@gamma.example") ?? (null as never)).path;
    const samInAcme = sessionCookie(box, sam, acme.orgId);
    expect((await answerJoin(joinPath, samSessionInGamma, "accept")).status).toBe(200);
    expect(orgsOf(sam)).toEqual([acme.orgId, gamma.orgId].sort());

    expect((await acmeAdmin("PATCH", `/api/v1/users/${sam}`, { name: "Sam (contractor)" })).status).toBe(200);
    expect(accountOf("sam@gamma.example").name).toBe("Sam Real");
    const gammaView = (await (await gammaAdmin("GET", `/api/v1/users/${sam}`)).json()) as { name: string };
    expect(gammaView.name).toBe("Sam Real");
    // Acme's own name for its member is what Acme's person pickers offer.
    const acmeCookie = sessionCookie(box, acme.adminId, acme.orgId);
    const taskForm = await (await box.fetch("/tasks?view=list", { headers: { Cookie: acmeCookie } })).text();
    expect(taskForm).toContain("Sam (contractor)");
    expect(taskForm).not.toContain("Sam Real");

    // A role change in Acme ends Sam's Acme session, not the Gamma one.
    const gammaSession = sessionCookie(box, sam, gamma.orgId);
    expect((await acmeAdmin("PATCH", `/api/v1/users/${sam}`, { role: "member" })).status).toBe(200);
    expect((await apiAs(box, samInAcme)("GET", "/api/v1/me")).status).toBe(401);
    expect((await apiAs(box, gammaSession)("GET", "/api/v1/me")).status).toBe(200);

    // Acme cannot switch the account off for Gamma; Gamma can take Sam out of Gamma.
    expect((await acmeAdmin("PATCH", `/api/v1/users/${sam}`, { status: "deactivated" })).status).toBe(409);
    const { key } = createApiKey(
      box.deps.db,
      { orgId: gamma.orgId, userId: sam, name: "gamma-key", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.manager,
    );
    const removed = await gammaAdmin("DELETE", `/api/v1/users/${sam}`);
    expect(removed.status).toBe(204);
    expect(orgsOf(sam)).toEqual([acme.orgId]);
    expect((await apiAs(box, gammaSession)("GET", "/api/v1/me")).status).toBe(401);
    const keyCall = await box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
    expect(keyCall.status).toBe(401);
    expect((await gammaAdmin("GET", `/api/v1/users/${sam}`)).status).toBe(404);
    expect(auditIn(gamma.orgId, "user.removed").map((event) => event.targetId)).toContain(sam);
    expect(accountOf("sam@gamma.example")).toMatchObject({ status: "active", homeOrgId: null });
    const acmeSession = sessionCookie(box, sam, acme.orgId);
    expect((await apiAs(box, acmeSession)("GET", "/api/v1/me")).status).toBe(200);
  });

  test("the person declines from their own session; nobody else can decline for them", async () => {
    const rita = await createUser(box, { orgId: gamma.orgId, role: "member", email: "rita@gamma.example" });
    await betaAdmin("POST", "/api/v1/invitations", { email: "rita@gamma.example", role: "viewer" });
    const ritaCall = apiAs(box, sessionCookie(box, rita, gamma.orgId));
    const mine = (await (await ritaCall("GET", "/api/v1/me/invitations")).json()) as { data: { id: string }[] };
    const invitationId = mine.data[0]?.id ?? "";
    expect(invitationId).toStartWith("mem_");
    // A notice on every console page (the account menu) and the invitation on the account page.
    const page = async () =>
      (await box.fetch("/account", { headers: { Cookie: sessionCookie(box, rita, gamma.orgId) } })).text();
    const before = await page();
    expect(before).toContain("1 invitation to answer");
    expect(before).toContain("Beta</strong> as Viewer");
    expect((await betaAdmin("POST", `/api/v1/me/invitations/${invitationId}/decline`)).status).toBe(404);
    expect((await ritaCall("POST", `/api/v1/me/invitations/${invitationId}/decline`)).status).toBe(204);
    expect((await betaAdmin("GET", `/api/v1/users/${rita}`)).status).toBe(404);
    expect(await page()).not.toContain("invitation to answer");
    expect(auditIn(beta.orgId, "user.invitation_declined").map((event) => event.targetId)).toContain(rita);
  });

  test("an API key cannot answer an invitation for its owner", async () => {
    const kim = await createUser(box, { orgId: gamma.orgId, role: "member", email: "kim@gamma.example" });
    await betaAdmin("POST", "/api/v1/invitations", { email: "kim@gamma.example", role: "viewer" });
    const token = linkOf(latestMail(box, "kim@gamma.example") ?? (null as never)).token;
    const { key } = createApiKey(
      box.deps.db,
      { orgId: gamma.orgId, userId: kim, name: "kim", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.member,
    );
    const response = await box.fetch("/api/v1/me/invitations/accept", {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ token }),
    });
    expect(response.status).toBe(403);
    expect(orgsOf(kim)).toEqual([gamma.orgId]);
    // An expired invitation is no longer offered, in the menu or the list.
    const kimCookie = sessionCookie(box, kim, gamma.orgId);
    expect(await (await box.fetch("/account", { headers: { Cookie: kimCookie } })).text()).toContain("1 invitation");
    box.deps.db
      .update(membershipInvitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(membershipInvitations.userId, kim))
      .run();
    const after = await (await box.fetch("/account", { headers: { Cookie: kimCookie } })).text();
    expect(after).not.toContain("invitation to answer");
    expect(after).not.toContain('id="invitations"');
    const mine = (await (await apiAs(box, kimCookie)("GET", "/api/v1/me/invitations")).json()) as { data: unknown[] };
    expect(mine.data).toEqual([]);
  });
});

describe("an address whose account has left every organisation", () => {
  test("another organisation's invitation makes a new account: the old one keeps its history and loses its invitations", async () => {
    const lee = await createUser(box, {
      orgId: gamma.orgId,
      role: "member",
      email: "lee@gamma.example",
      name: "Lee Real",
    });
    await betaAdmin("POST", "/api/v1/invitations", { email: "lee@gamma.example", role: "manager" });
    const betaJoin = linkOf(latestMail(box, "lee@gamma.example") ?? (null as never)).path;
    expect((await gammaAdmin("PATCH", `/api/v1/users/${lee}`, { status: "deactivated" })).status).toBe(200);
    expect((await gammaAdmin("DELETE", `/api/v1/users/${lee}`)).status).toBe(204);

    const claimed = await acmeAdmin("POST", "/api/v1/users", {
      email: "lee@gamma.example",
      name: "IT Helpdesk - reply with your password",
      role: "member",
    });
    expect(claimed.status).toBe(201);
    const fresh = (await claimed.json()) as { id: string };
    expect(fresh.id).not.toBe(lee);
    // The old account keeps its name for Gamma's history, and nothing that could act.
    const old = box.deps.db.select().from(users).where(eq(users.id, lee)).get();
    expect(old).toMatchObject({ name: "Lee Real", status: "deactivated", passwordHash: null });
    const gammaAudit = await (
      await box.fetch("/settings/audit", { headers: { Cookie: sessionCookie(box, gamma.adminId, gamma.orgId) } })
    ).text();
    expect(gammaAudit).not.toContain("IT Helpdesk");
    // Beta's invitation of the old account is over, and Beta is told; its link opens nothing.
    expect((await betaAdmin("GET", `/api/v1/users/${lee}`)).status).toBe(404);
    expect(auditIn(beta.orgId, "user.invitation_ended").map((event) => event.targetId)).toContain(lee);
    const acmeLink = linkOf(latestMail(box, "lee@gamma.example") ?? (null as never)).path;
    const session = await acceptNewAccount(acmeLink, "amber lantern orchard 64");
    expect((await answerJoin(betaJoin, session, "accept")).status).toBe(400);
    expect(orgsOf(fresh.id)).toEqual([acme.orgId]);
  });
});

describe("membership routes: forbidden and other-organisation cases", () => {
  test("a manager gets 403 on DELETE /api/v1/users/{id}; another organisation's person is 404", async () => {
    const manager = await createUser(box, { orgId: beta.orgId, role: "manager" });
    const member = await createUser(box, { orgId: beta.orgId, role: "member" });
    expect(
      (await apiAs(box, sessionCookie(box, manager, beta.orgId))("DELETE", `/api/v1/users/${member}`)).status,
    ).toBe(403);
    expect((await acmeAdmin("DELETE", `/api/v1/users/${member}`)).status).toBe(404);
    expect((await acmeAdmin("PATCH", `/api/v1/users/${member}`, { name: "x" })).status).toBe(404);
    expect(orgsOf(member)).toEqual([beta.orgId]);
  });

  test("the last admin cannot be removed, and nobody removes themselves", async () => {
    expect((await gammaAdmin("DELETE", `/api/v1/users/${gamma.adminId}`)).status).toBe(409);
  });

  test("a role changed after the e-mail went out needs a new link: the person accepts only what they were shown", async () => {
    const ada = await createUser(box, { orgId: gamma.orgId, role: "member", email: "ada@gamma.example" });
    await betaAdmin("POST", "/api/v1/invitations", { email: "ada@gamma.example", role: "viewer" });
    const firstLink = linkOf(latestMail(box, "ada@gamma.example") ?? (null as never)).path;
    expect((await betaAdmin("PATCH", `/api/v1/users/${ada}`, { role: "manager" })).status).toBe(200);
    expect((await answerJoin(firstLink, sessionCookie(box, ada, gamma.orgId), "accept")).status).toBe(400);
    expect(orgsOf(ada)).toEqual([gamma.orgId]);
    await betaAdmin("POST", "/api/v1/invitations", { email: "ada@gamma.example", role: "manager" });
    const secondLink = linkOf(latestMail(box, "ada@gamma.example") ?? (null as never)).path;
    expect((await answerJoin(secondLink, sessionCookie(box, ada, gamma.orgId), "accept")).status).toBe(200);
    const joined = box.deps.db.select().from(memberships).where(eq(memberships.userId, ada)).all();
    expect(joined.find((row) => row.orgId === beta.orgId)?.role).toBe("manager");
  });

  test("withdrawing an invitation kills its link", async () => {
    const lou = await createUser(box, { orgId: gamma.orgId, role: "member", email: "lou@gamma.example" });
    await betaAdmin("POST", "/api/v1/invitations", { email: "lou@gamma.example", role: "viewer" });
    const joinPath = linkOf(latestMail(box, "lou@gamma.example") ?? (null as never)).path;
    expect((await betaAdmin("DELETE", `/api/v1/users/${lou}`)).status).toBe(204);
    expect((await answerJoin(joinPath, sessionCookie(box, lou, gamma.orgId), "accept")).status).toBe(400);
    expect(orgsOf(lou)).toEqual([gamma.orgId]);
  });
});
