import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { findGrant, grantKeyFor, markGrantReconnect, SENDING_GRANT } from "./grants.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
});
afterAll(() => box.close());

const SECRET = "GOCSPX-the-client-secret";
const post = (userId: string, orgId: string, path: string, fields: Record<string, string>) =>
  box.fetch(path, {
    method: "POST",
    headers: {
      ...consoleHeaders(box, sessionCookie(box, userId, orgId)),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields).toString(),
  });
const callback = (userId: string, orgId: string, flowCookie: string | null, query: string) =>
  box.fetch(`/settings/mail-oauth/callback?${query}`, {
    headers: { Cookie: [sessionCookie(box, userId, orgId), flowCookie].filter(Boolean).join("; ") },
  });
const flowCookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("opsbox_mail_oauth="))
    ?.split(";")[0] ?? null;
/** Where the answer sends the browser: htmx's HX-Redirect (the console's requests) or Location. */
const target = (response: Response) => response.headers.get("HX-Redirect") ?? response.headers.get("Location") ?? "";
const googleApp = { provider: "google", tenant: "", clientId: "1234.apps.googleusercontent.com", clientSecret: SECRET };

test("Connect sends the instance admin to Google's consent page with state and PKCE; the app is stored sealed", async () => {
  const response = await post(acme.adminId, acme.orgId, "/settings/email/oauth/connect", googleApp);
  const location = new URL(target(response));
  expect(location.origin + location.pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth");
  expect(location.searchParams.get("client_id")).toBe(googleApp.clientId);
  expect(location.searchParams.get("redirect_uri")).toBe(`${box.deps.config.baseUrl}/settings/mail-oauth/callback`);
  expect(location.searchParams.get("code_challenge_method")).toBe("S256");
  expect(location.searchParams.get("state")).toBeTruthy();
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("opsbox_mail_oauth="));
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("Path=/settings/mail-oauth/");
  expect(cookie).not.toContain(SECRET);
  const grant = findGrant(box.deps.db, SENDING_GRANT);
  expect(grant).toMatchObject({ provider: "google", state: "pending", clientId: googleApp.clientId, orgId: null });
  expect(JSON.stringify(grant)).not.toContain(SECRET);
});

test("a connect form without a client id is drawn again with its error (422), never the secret", async () => {
  const response = await post(acme.adminId, acme.orgId, "/settings/email/oauth/connect", {
    ...googleApp,
    clientId: "",
  });
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(html).toContain("Enter the app&#39;s client id.");
  expect(html).not.toContain(SECRET);
});

test("the page shows the redirect URL to register and the grant's state", async () => {
  const response = await box.fetch("/settings/email", {
    headers: { Cookie: sessionCookie(box, acme.adminId, acme.orgId) },
  });
  const html = await response.text();
  expect(html).toContain(`${box.deps.config.baseUrl}/settings/mail-oauth/callback`);
  expect(html).toContain("https://www.googleapis.com/auth/gmail.send");
  expect(html).toContain("Not connected yet");
  expect(html).toContain("Gmail API (the Google account connected below)");
});

test("choosing Gmail before a Google account is connected is refused (422 on the provider)", async () => {
  const response = await post(acme.adminId, acme.orgId, "/settings/email", {
    provider: "outlook",
    from: "office@acme.test",
    giveUpAfterHours: "24",
  });
  expect(response.status).toBe(422);
  expect(await response.text()).toContain("Connect a Microsoft account for sending first");
});

test("another organisation's admin may not connect or disconnect the box's sending mailbox (403)", async () => {
  expect((await post(globex.adminId, globex.orgId, "/settings/email/oauth/connect", googleApp)).status).toBe(403);
  expect((await post(globex.adminId, globex.orgId, "/settings/email/oauth/disconnect", {})).status).toBe(403);
  expect(findGrant(box.deps.db, SENDING_GRANT)).not.toBeNull();
});

test("the callback refuses a missing flow, a wrong state, a provider's error and another person's flow", async () => {
  const started = await post(acme.adminId, acme.orgId, "/settings/email/oauth/connect", googleApp);
  const flow = flowCookieOf(started);
  const state = new URL(target(started)).searchParams.get("state") ?? "";
  expect((await callback(acme.adminId, acme.orgId, null, `state=${state}&code=c`)).status).toBe(400);
  expect((await callback(acme.adminId, acme.orgId, flow, "state=forged&code=c")).status).toBe(400);
  const cancelled = await callback(acme.adminId, acme.orgId, flow, `state=${state}&error=access_denied`);
  expect(cancelled.status).toBe(400);
  expect(await cancelled.text()).toContain("The provider ended the connection (access_denied)");
  // Globex's admin holding Acme's admin's flow (a link passed on) gets nothing of it.
  expect((await callback(globex.adminId, globex.orgId, flow, `state=${state}&code=c`)).status).toBe(400);
  expect(findGrant(box.deps.db, SENDING_GRANT)?.state).toBe("pending");
  // The refusal spends the flow: the browser is told to forget it.
  const answer = await callback(acme.adminId, acme.orgId, flow, "state=forged&code=c");
  expect(answer.headers.getSetCookie().some((line) => /^opsbox_mail_oauth=;.*Max-Age=0/.test(line))).toBe(true);
});

test("each organisation connects its own inbound mailbox; another's flow or disconnect never reaches it", async () => {
  const microsoftApp = {
    provider: "microsoft",
    tenant: "globex.onmicrosoft.com",
    clientId: "app-id",
    clientSecret: "s3cret-value",
  };
  const started = await post(globex.adminId, globex.orgId, "/settings/inbound-mail/oauth/connect", microsoftApp);
  const location = new URL(target(started));
  expect(location.pathname).toBe("/globex.onmicrosoft.com/oauth2/v2.0/authorize");
  expect(location.searchParams.get("scope")).toBe(
    "openid email offline_access https://outlook.office.com/IMAP.AccessAsUser.All",
  );
  const globexKey = grantKeyFor("inbound", globex.orgId);
  expect(findGrant(box.deps.db, globexKey)).toMatchObject({ orgId: globex.orgId, provider: "microsoft" });

  const state = location.searchParams.get("state") ?? "";
  const flow = flowCookieOf(started);
  // Acme's admin (a member of Acme only) with Globex's flow is refused.
  expect((await callback(acme.adminId, acme.orgId, flow, `state=${state}&code=c`)).status).toBe(400);
  const acmePage = await (
    await box.fetch("/settings/inbound-mail", { headers: { Cookie: sessionCookie(box, acme.adminId, acme.orgId) } })
  ).text();
  expect(acmePage).not.toContain("app-id");
  expect(acmePage).toContain("OAuth: the Google or Microsoft mailbox connected below");
  expect(acmePage).toContain("https://outlook.office.com/IMAP.AccessAsUser.All");
  // Acme has no grant of its own to disconnect; Globex's stays.
  expect((await post(acme.adminId, acme.orgId, "/settings/inbound-mail/oauth/disconnect", {})).status).toBe(404);
  expect(findGrant(box.deps.db, globexKey)).not.toBeNull();
  const removed = await post(globex.adminId, globex.orgId, "/settings/inbound-mail/oauth/disconnect", {});
  expect(target(removed)).toBe("/settings/inbound-mail?notice=disconnected");
  expect(findGrant(box.deps.db, globexKey)).toBeNull();
});

test("the inbound mailbox may sign in with OAuth only once an account is connected (422 otherwise)", async () => {
  const response = await box.fetch("/api/v1/mail/inbound", {
    method: "PUT",
    headers: {
      ...consoleHeaders(box, sessionCookie(box, acme.adminId, acme.orgId)),
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      address: "inbox@acme.test",
      host: "imap.gmail.com",
      port: 993,
      authMethod: "oauth",
      username: "inbox@acme.test",
    }),
  });
  expect(response.status).toBe(422);
  expect(JSON.stringify(await response.json())).toContain('"path":"authMethod"');
});

test("a revoked sending grant shows “Reconnect needed” with the reason, on the page and in the API", async () => {
  markGrantReconnect(box.deps.db, SENDING_GRANT, "Google refused the stored sign-in (invalid_grant).");
  const cookie = sessionCookie(box, acme.adminId, acme.orgId);
  const html = await (await box.fetch("/settings/email", { headers: { Cookie: cookie } })).text();
  expect(html).toContain("Reconnect needed");
  expect(html).toContain("Google refused the stored sign-in (invalid_grant).");
  expect(html).toContain(">Reconnect</button>");
  const json = await (await box.fetch("/api/v1/mail/settings", { headers: consoleHeaders(box, cookie) })).json();
  expect(json.oauth).toMatchObject({ provider: "google", state: "reconnect", clientId: googleApp.clientId });
  expect(JSON.stringify(json)).not.toContain(SECRET);
});
