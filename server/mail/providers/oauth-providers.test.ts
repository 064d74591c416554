import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { mailMessages } from "../../../models/mail.ts";
import { mailOAuthGrants } from "../../../models/mail-oauth.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../../db.ts";
import { createLogger } from "../../http/logger.ts";
import { migrate } from "../../migrate.ts";
import { makeTempDir } from "../../testing/harness.ts";
import { type FakeMailApis, startFakeMailApis } from "../../testing/oauth-mail-apis.ts";
import { untilMailStatus } from "../../testing/outbox.ts";
import { createKeyring } from "../../tools/secrets.ts";
import { beginMailOAuth, finishMailOAuth } from "../oauth/connect.ts";
import { findGrant, SENDING_GRANT } from "../oauth/grants.ts";
import { queueMail } from "../outbox.ts";
import { saveMailSettings } from "../settings.ts";
import { startOutboxWorker } from "../worker.ts";
import { gmailProvider } from "./gmail.ts";
import { graphMessageOf, graphProvider } from "./graph.ts";
import type { ProviderMessage } from "./types.ts";

const log = createLogger("error", { write: () => {} });
const keyring = createKeyring(new Uint8Array(32).fill(9));
const BASE_URL = "https://box.acme.test";
const CLIENT_SECRET = "GOCSPX-client-secret-value";
let db: Db;
let apis: FakeMailApis;
beforeAll(() => {
  db = openDatabase(databasePath(makeTempDir()));
  migrate(db);
  apis = startFakeMailApis();
});
afterAll(() => {
  apis.stop();
  closeDatabase(db);
});
beforeEach(() => {
  apis.seen.length = 0;
  apis.answers.clear();
});

const store = () => ({ db, keyring, endpoints: apis.endpoints });
const sender = { from: "office@acme.test", fromName: "Acme Office", giveUpAfterHours: 24 };
const message: ProviderMessage = {
  id: "msg_0001",
  messageIdHeader: "<msg_0001@acme.test>",
  date: new Date("2026-03-03T10:04:00Z"),
  to: "ada@example.com",
  subject: "Invoice INV-7 is ready",
  text: "Plain words.",
  html: "<p>Rich words.</p>",
  replyTo: "help@acme.test",
  attachments: [],
};

/** Connects the sending grant through the fake token endpoint, as the callback route does. */
async function connect(provider: "google" | "microsoft") {
  const request = {
    key: SENDING_GRANT,
    orgId: null,
    purpose: "send" as const,
    provider,
    tenant: provider === "microsoft" ? "acme.onmicrosoft.com" : null,
    clientId: `${provider}-client-id`,
    clientSecret: CLIENT_SECRET,
    loginHint: "office@acme.test",
  };
  const { url, flow } = beginMailOAuth(store(), request, BASE_URL);
  await finishMailOAuth(store(), flow, "the-code", BASE_URL);
  return { url, flow };
}

const expireAccessToken = () =>
  db
    .update(mailOAuthGrants)
    .set({ accessTokenExpiresAt: new Date(Date.now() - 1000) })
    .run();

test("connecting: the authorisation URL carries state, an S256 challenge and offline access; the code is exchanged with its verifier", async () => {
  const { url, flow } = await connect("google");
  expect(url.origin + url.pathname).toBe(`${apis.url}/google/authorize`);
  expect(url.searchParams.get("response_type")).toBe("code");
  expect(url.searchParams.get("client_id")).toBe("google-client-id");
  expect(url.searchParams.get("redirect_uri")).toBe(`${BASE_URL}/settings/mail-oauth/callback`);
  expect(url.searchParams.get("state")).toBe(flow.state);
  expect(url.searchParams.get("scope")).toBe("openid email https://www.googleapis.com/auth/gmail.send");
  expect(url.searchParams.get("access_type")).toBe("offline");
  expect(url.searchParams.get("prompt")).toBe("consent");
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  const challenge = createHash("sha256").update(flow.codeVerifier).digest("base64url");
  expect(url.searchParams.get("code_challenge")).toBe(challenge);

  const [exchange] = apis.requestsTo("/google/token");
  expect(exchange?.form?.get("grant_type")).toBe("authorization_code");
  expect(exchange?.form?.get("code")).toBe("the-code");
  expect(exchange?.form?.get("code_verifier")).toBe(flow.codeVerifier);
  expect(exchange?.form?.get("redirect_uri")).toBe(`${BASE_URL}/settings/mail-oauth/callback`);
  const basic = Buffer.from(`google-client-id:${CLIENT_SECRET}`).toString("base64");
  expect(exchange?.headers.get("Authorization")).toBe(`Basic ${basic}`);

  const grant = findGrant(db, SENDING_GRANT);
  expect(grant).toMatchObject({ state: "connected", account: "office@acme.test", provider: "google" });
  // Sealed, never in the clear.
  const row = JSON.stringify(grant);
  for (const secret of [CLIENT_SECRET, "access-1", "refresh-1"]) expect(row).not.toContain(secret);
});

test("Gmail: users.messages.send with the bearer token and the message as base64url RFC 822", async () => {
  await connect("google");
  apis.answers.set("/gmail/v1/users/me/messages/send", [
    { status: 200, body: '{"id":"18c0ffee","threadId":"18c0ffee","labelIds":["SENT"]}' },
  ]);
  const outcome = await gmailProvider({ provider: "gmail", ...sender }, store(), apis.url).send(message);
  expect(outcome).toEqual({ status: "sent", providerMessageId: "18c0ffee", answer: "HTTP 200: gmail id 18c0ffee" });
  const [sent] = apis.requestsTo("/gmail/v1/users/me/messages/send");
  expect(sent?.headers.get("Authorization")).toMatch(/^Bearer access-\d+$/);
  const encoded = (sent?.json as { raw: string } | undefined)?.raw ?? "";
  const raw = Buffer.from(encoded, "base64url").toString("utf8");
  expect(raw).toContain("From: Acme Office <office@acme.test>");
  expect(raw).toContain("To: ada@example.com");
  expect(raw).toContain("Reply-To: help@acme.test");
  expect(raw).toContain("Subject: Invoice INV-7 is ready");
  expect(raw).toContain("Message-ID: <msg_0001@acme.test>");
  expect(raw).toContain("Date: Tue, 03 Mar 2026 10:04:00 +0000");
  expect(raw).toContain("Plain words.");
  expect(raw).toContain("<p>Rich words.</p>");
  expect(encoded).not.toMatch(/[+/=]/);
});

test("an expired access token is refreshed with the refresh_token grant before sending, and the new one kept", async () => {
  await connect("google");
  expireAccessToken();
  apis.seen.length = 0;
  apis.answers.set("/gmail/v1/users/me/messages/send", [{ status: 200, body: '{"id":"a1"}' }]);
  const outcome = await gmailProvider({ provider: "gmail", ...sender }, store(), apis.url).send(message);
  expect(outcome.status).toBe("sent");
  expect(apis.seen.map((request) => request.path)).toEqual(["/google/token", "/gmail/v1/users/me/messages/send"]);
  const refresh = apis.seen[0]?.form;
  expect(refresh?.get("grant_type")).toBe("refresh_token");
  expect(refresh?.get("refresh_token")).toMatch(/^refresh-\d+$/);
  const issued = apis.requestsTo("/gmail/v1/users/me/messages/send")[0]?.headers.get("Authorization");
  // Sent with the fresh token; the next send uses it without another refresh.
  apis.answers.set("/gmail/v1/users/me/messages/send", [{ status: 200, body: '{"id":"a2"}' }]);
  await gmailProvider({ provider: "gmail", ...sender }, store(), apis.url).send(message);
  expect(apis.requestsTo("/google/token")).toHaveLength(1);
  expect(apis.requestsTo("/gmail/v1/users/me/messages/send")[1]?.headers.get("Authorization")).toBe(issued ?? "");
});

test("a 401 from the API refreshes the token and tries once more", async () => {
  await connect("google");
  apis.seen.length = 0;
  apis.answers.set("/gmail/v1/users/me/messages/send", [
    { status: 401, body: '{"error":{"code":401,"message":"Invalid Credentials"}}' },
    { status: 200, body: '{"id":"after-401"}' },
  ]);
  const outcome = await gmailProvider({ provider: "gmail", ...sender }, store(), apis.url).send(message);
  expect(outcome).toMatchObject({ status: "sent", providerMessageId: "after-401" });
  expect(apis.seen.map((request) => request.path)).toEqual([
    "/gmail/v1/users/me/messages/send",
    "/google/token",
    "/gmail/v1/users/me/messages/send",
  ]);
  const [first, second] = apis.requestsTo("/gmail/v1/users/me/messages/send");
  expect(first?.headers.get("Authorization")).not.toBe(second?.headers.get("Authorization") ?? "");
});

test("Graph: POST /v1.0/me/sendMail with the documented message JSON; 202 is sent; Microsoft's refresh names the scopes", async () => {
  await connect("microsoft");
  expireAccessToken();
  apis.seen.length = 0;
  apis.answers.set("/v1.0/me/sendMail", [{ status: 202, body: "", headers: { "request-id": "req-42" } }]);
  const outcome = await graphProvider({ provider: "outlook", ...sender }, store(), apis.url).send(message);
  expect(outcome).toEqual({
    status: "sent",
    providerMessageId: null,
    answer: "HTTP 202 Accepted (request-id: req-42)",
  });
  const refresh = apis.requestsTo("/microsoft/token")[0]?.form;
  expect(refresh?.get("grant_type")).toBe("refresh_token");
  expect(refresh?.get("scope")).toBe("openid email offline_access https://graph.microsoft.com/Mail.Send");
  const [sent] = apis.requestsTo("/v1.0/me/sendMail");
  expect(sent?.headers.get("Authorization")).toMatch(/^Bearer access-\d+$/);
  expect(sent?.headers.get("Content-Type")).toBe("application/json");
  expect(sent?.json).toEqual({
    message: {
      subject: "Invoice INV-7 is ready",
      body: { contentType: "HTML", content: "<p>Rich words.</p>" },
      from: { emailAddress: { address: "office@acme.test", name: "Acme Office" } },
      toRecipients: [{ emailAddress: { address: "ada@example.com" } }],
      replyTo: [{ emailAddress: { address: "help@acme.test" } }],
      internetMessageId: "<msg_0001@acme.test>",
      internetMessageHeaders: [{ name: "X-Opsbox-Message-Id", value: "msg_0001" }],
    },
    saveToSentItems: true,
  });
  apis.answers.set("/v1.0/me/sendMail", [
    { status: 429, body: '{"error":{"code":"TooManyRequests"}}' },
    { status: 400, body: '{"error":{"code":"ErrorSendAsDenied","message":"no"}}' },
  ]);
  const graph = graphProvider({ provider: "outlook", ...sender }, store(), apis.url);
  expect((await graph.send(message)).status).toBe("temporary_failure");
  expect(await graph.send(message)).toMatchObject({ status: "permanent_failure" });
});

test("a revoked grant (invalid_grant) shows as reconnect; the message stays queued, unspent, and goes once reconnected", async () => {
  await connect("google");
  saveMailSettings(db, keyring, { provider: "gmail", ...sender });
  expireAccessToken();
  apis.answers.set("/google/token", [
    { status: 400, body: '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}' },
  ]);
  const queued = queueMail(db, log, {
    orgId: null,
    to: "ada@example.com",
    subject: "Waits",
    text: "x",
    template: "mail_test",
  });
  const overrides = { oauth: apis.endpoints, gmailBaseUrl: apis.url };
  const worker = startOutboxWorker(
    { db, keyring, log, config: { baseUrl: "http://127.0.0.1:3000", dataDir: "" } },
    { overrides, idlePollMs: 30, concurrency: 1 },
  );
  try {
    const deadline = Date.now() + 5000;
    while (findGrant(db, SENDING_GRANT)?.state !== "reconnect" && Date.now() < deadline) await Bun.sleep(20);
    expect(findGrant(db, SENDING_GRANT)).toMatchObject({
      state: "reconnect",
      lastError: "Google refused the stored sign-in (invalid_grant): connect the account again in Settings.",
    });
    await Bun.sleep(150);
    const waiting = db.select().from(mailMessages).where(eq(mailMessages.id, queued.id)).get();
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting?.lastAnswer).toContain("invalid_grant");
    expect(apis.requestsTo("/gmail/v1/users/me/messages/send")).toHaveLength(0);

    apis.answers.set("/gmail/v1/users/me/messages/send", [{ status: 200, body: '{"id":"finally"}' }]);
    await connect("google");
    db.update(mailMessages).set({ nextAttemptAt: null }).where(eq(mailMessages.id, queued.id)).run();
    const sent = await untilMailStatus(db, queued.id, "sent");
    expect(sent).toMatchObject({ providerMessageId: "finally", attempts: 2 });
  } finally {
    await worker.stop();
  }
});

test("attachments: Gmail's raw message carries the PDF and the inline logo; Graph sends fileAttachments", async () => {
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00, 0x0a]);
  const withFiles: ProviderMessage = {
    ...message,
    attachments: [
      { fileName: "invoice-INV-7.pdf", contentType: "application/pdf", content: pdf },
      { fileName: "logo.png", contentType: "image/png", content: pdf, contentId: "logo@opsbox" },
    ],
  };
  await connect("google");
  apis.answers.set("/gmail/v1/users/me/messages/send", [{ status: 200, body: '{"id":"with-files"}' }]);
  expect((await gmailProvider({ provider: "gmail", ...sender }, store(), apis.url).send(withFiles)).status).toBe(
    "sent",
  );
  const encoded = (apis.requestsTo("/gmail/v1/users/me/messages/send")[0]?.json as { raw: string } | undefined)?.raw;
  const raw = Buffer.from(encoded ?? "", "base64url").toString("utf8");
  expect(raw).toContain("filename=invoice-INV-7.pdf");
  expect(raw).toContain("Content-ID: <logo@opsbox>");
  expect(raw).toContain(Buffer.from(pdf).toString("base64"));

  const body = graphMessageOf({ provider: "outlook", ...sender }, withFiles);
  expect(body.message.attachments).toEqual([
    {
      "@odata.type": "#microsoft.graph.fileAttachment",
      name: "invoice-INV-7.pdf",
      contentType: "application/pdf",
      contentBytes: Buffer.from(pdf).toString("base64"),
    },
    {
      "@odata.type": "#microsoft.graph.fileAttachment",
      name: "logo.png",
      contentType: "image/png",
      contentBytes: Buffer.from(pdf).toString("base64"),
      isInline: true,
      contentId: "logo@opsbox",
    },
  ]);
});
