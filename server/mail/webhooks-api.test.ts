import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import { mailSuppressions } from "../../models/mail-suppressions.ts";
import type { TestApp } from "../testing/harness.ts";
import {
  consoleHeaders,
  createOrganization,
  createUser,
  sessionCookie,
  setUpBox,
  type TestBox,
} from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
});
afterAll(() => box.close());

const svixKey = crypto.getRandomValues(new Uint8Array(32));
const resendSecret = `whsec_${Buffer.from(svixKey).toString("base64")}`;
const sendGridPair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const sendGridKey = sendGridPair.publicKey.export({ format: "der", type: "spki" }).toString("base64");

const as =
  (userId: string, orgId: string) =>
  (path: string, init: { method?: string; body?: unknown } = {}) =>
    box.fetch(path, {
      method: init.method ?? "GET",
      headers: { ...consoleHeaders(box, sessionCookie(box, userId, orgId)), "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
const admin = () => as(acme.adminId, acme.orgId);
const now = () => String(Math.floor(Date.now() / 1000));

/** A message the provider accepted earlier. */
function sentMessage(provider: "resend" | "sendgrid", to: string, orgId: string | null = acme.orgId): MailMessage {
  return box.deps.db
    .insert(mailMessages)
    .values({
      id: newId("msg"),
      orgId,
      toAddress: to,
      subject: "Hello",
      textBody: "x",
      template: "notification_digest",
      kind: "non_essential",
      status: "sent",
      attempts: 1,
      provider,
      providerMessageId: `${provider}-${crypto.randomUUID()}`,
      sentAt: new Date(),
    })
    .returning()
    .get();
}

function postResend(event: unknown, sign: { id?: string; timestamp?: string; secret?: Uint8Array | null } = {}) {
  const body = JSON.stringify(event);
  const id = sign.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = sign.timestamp ?? now();
  const key = sign.secret === undefined ? svixKey : sign.secret;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key) {
    headers["svix-id"] = id;
    headers["svix-timestamp"] = timestamp;
    headers["svix-signature"] = `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
  }
  return box.fetch("/api/v1/mail/webhooks/resend", { method: "POST", headers, body });
}

function postSendGrid(
  events: unknown[],
  options: { timestamp?: string; key?: typeof sendGridPair.privateKey | null } = {},
) {
  const body = `${JSON.stringify(events)}\r\n`;
  const timestamp = options.timestamp ?? now();
  const key = options.key === undefined ? sendGridPair.privateKey : options.key;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key) {
    headers["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp;
    headers["X-Twilio-Email-Event-Webhook-Signature"] = sign(
      "sha256",
      Buffer.from(`${timestamp}${body}`),
      key,
    ).toString("base64");
  }
  return box.fetch("/api/v1/mail/webhooks/sendgrid", { method: "POST", headers, body });
}

const statusOf = (id: string) => box.deps.db.select().from(mailMessages).where(eq(mailMessages.id, id)).get()?.status;
const entriesFor = (address: string) =>
  box.deps.db.select().from(mailSuppressions).where(eq(mailSuppressions.address, address)).all();

const bounced = (emailId: string | null, type = "Permanent", to = "gone@example.com") => ({
  type: "email.bounced",
  created_at: new Date().toISOString(),
  data: {
    email_id: emailId,
    to: [to],
    bounce: { type, subType: "General", message: "550 5.1.1 The email account does not exist." },
  },
});

test("before a key is stored each webhook is refused; the instance admin stores them, the secret sealed and never shown", async () => {
  expect((await postResend(bounced("x"))).status).toBe(401);
  expect((await postSendGrid([{ event: "bounce" }])).status).toBe(401);

  const saved = await admin()("/api/v1/mail/webhooks", {
    method: "PUT",
    body: { resendSecret, sendgridPublicKey: sendGridKey },
  });
  expect(saved.status).toBe(200);
  const shown = await saved.json();
  expect(shown).toEqual({
    resend: { url: `${box.deps.config.baseUrl}/api/v1/mail/webhooks/resend`, secretSet: true },
    sendgrid: { url: `${box.deps.config.baseUrl}/api/v1/mail/webhooks/sendgrid`, publicKey: sendGridKey },
  });
  const stored = box.deps.db.select().from(instanceSettings).where(eq(instanceSettings.key, "email.webhooks")).get();
  expect(JSON.stringify(stored?.value)).not.toContain(resendSecret.slice(6));
  // Empty keeps the stored secret.
  const kept = await admin()("/api/v1/mail/webhooks", { method: "PUT", body: { sendgridPublicKey: sendGridKey } });
  expect((await kept.json()).resend.secretSet).toBe(true);
});

test("keys that are not Resend's or SendGrid's are 422 on their field", async () => {
  const wrong = await admin()("/api/v1/mail/webhooks", {
    method: "PUT",
    body: { resendSecret: "sk_live_123", sendgridPublicKey: "not-a-key" },
  });
  expect(wrong.status).toBe(422);
  const paths = (await wrong.json()).error.details.map((detail: { path: string }) => detail.path);
  expect(paths).toEqual(["resendSecret", "sendgridPublicKey"]);
});

test("another organisation's admin may read but not change the keys (403); a member may not read (403)", async () => {
  const globexAdmin = as(globex.adminId, globex.orgId);
  expect((await globexAdmin("/api/v1/mail/webhooks")).status).toBe(200);
  expect((await globexAdmin("/api/v1/mail/webhooks", { method: "PUT", body: {} })).status).toBe(403);
  const member = await createUser(box, { orgId: acme.orgId, role: "member" });
  expect((await as(member, acme.orgId)("/api/v1/mail/webhooks")).status).toBe(403);
});

test("Resend: a signed permanent bounce marks the message bounced and suppresses the address", async () => {
  const message = sentMessage("resend", "gone@example.com");
  const response = await postResend(bounced(message.providerMessageId));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ applied: 1, ignored: 0 });
  const row = box.deps.db.select().from(mailMessages).where(eq(mailMessages.id, message.id)).get();
  expect(row?.status).toBe("bounced");
  expect(row?.lastAnswer).toContain("550 5.1.1");
  expect(entriesFor("gone@example.com")).toMatchObject([
    { orgId: acme.orgId, reason: "hard_bounce", source: "resend", messageId: message.id },
  ]);
  // The same event again (Svix retries) changes nothing.
  await postResend(bounced(message.providerMessageId));
  expect(entriesFor("gone@example.com")).toHaveLength(1);
});

test("Resend: unsigned, wrongly signed and stale (over five minutes) events are 401 and change nothing", async () => {
  const message = sentMessage("resend", "keep@example.com");
  const event = bounced(message.providerMessageId, "Permanent", "keep@example.com");
  const unsigned = await postResend(event, { secret: null });
  expect(unsigned.status).toBe(401);
  expect((await unsigned.json()).error.code).toBe("unauthenticated");
  expect((await postResend(event, { secret: crypto.getRandomValues(new Uint8Array(32)) })).status).toBe(401);
  expect((await postResend(event, { timestamp: String(Math.floor(Date.now() / 1000) - 6 * 60) })).status).toBe(401);
  expect(statusOf(message.id)).toBe("sent");
  expect(entriesFor("keep@example.com")).toEqual([]);
});

test("Resend: a complaint marks the message complained; a transient bounce and another app's mail change nothing", async () => {
  const message = sentMessage("resend", "angry@example.com");
  const complained = {
    type: "email.complained",
    data: { email_id: message.providerMessageId, to: ["angry@example.com"] },
  };
  expect(await (await postResend(complained)).json()).toEqual({ applied: 1, ignored: 0 });
  expect(statusOf(message.id)).toBe("complained");
  expect(entriesFor("angry@example.com")).toMatchObject([{ reason: "complaint", source: "resend" }]);

  const soft = sentMessage("resend", "full@example.com");
  expect(await (await postResend({ ...bounced(soft.providerMessageId, "Transient") })).json()).toEqual({
    applied: 0,
    ignored: 1,
  });
  expect(statusOf(soft.id)).toBe("sent");
  expect(await (await postResend(bounced("someone-elses-email"))).json()).toEqual({ applied: 0, ignored: 1 });
});

test("SendGrid: a signed batch marks bounces and spam reports, skips blocked (temporary) and unknown ones", async () => {
  const bounce = sentMessage("sendgrid", "nobody@example.com");
  const spam = sentMessage("sendgrid", "spam@example.com");
  const blocked = sentMessage("sendgrid", "later@example.com");
  const boxWide = sentMessage("sendgrid", "reset@example.com", null);
  const response = await postSendGrid([
    {
      email: "nobody@example.com",
      event: "bounce",
      type: "bounce",
      status: "5.1.1",
      reason: "550 no such user",
      opsbox_message_id: bounce.id,
    },
    { email: "spam@example.com", event: "spamreport", sg_message_id: `${spam.providerMessageId}.filterdrecv-1` },
    { email: "later@example.com", event: "bounce", type: "blocked", opsbox_message_id: blocked.id },
    { email: "reset@example.com", event: "dropped", reason: "Bounced Address", opsbox_message_id: boxWide.id },
    { email: "x@example.com", event: "delivered", opsbox_message_id: bounce.id },
    { email: "y@example.com", event: "bounce", opsbox_message_id: "msg_unknown" },
  ]);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ applied: 3, ignored: 3 });
  expect(statusOf(bounce.id)).toBe("bounced");
  expect(statusOf(spam.id)).toBe("complained");
  expect(statusOf(blocked.id)).toBe("sent");
  expect(statusOf(boxWide.id)).toBe("bounced");
  expect(entriesFor("nobody@example.com")).toMatchObject([{ reason: "hard_bounce", detail: "5.1.1 550 no such user" }]);
  expect(entriesFor("spam@example.com")).toMatchObject([{ reason: "complaint", source: "sendgrid" }]);
  expect(entriesFor("reset@example.com")).toMatchObject([{ orgId: null, reason: "hard_bounce" }]);
  expect(entriesFor("later@example.com")).toEqual([]);
});

test("SendGrid: unsigned, another key's and stale batches are 401 and change nothing", async () => {
  const message = sentMessage("sendgrid", "stay@example.com");
  const events = [{ email: "stay@example.com", event: "bounce", opsbox_message_id: message.id }];
  expect((await postSendGrid(events, { key: null })).status).toBe(401);
  const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
  expect((await postSendGrid(events, { key: other })).status).toBe(401);
  expect((await postSendGrid(events, { timestamp: String(Math.floor(Date.now() / 1000) - 301) })).status).toBe(401);
  expect(statusOf(message.id)).toBe("sent");
  expect(entriesFor("stay@example.com")).toEqual([]);
});

test("a signed body that is not the provider's shape is 422", async () => {
  expect((await postSendGrid([{ nothing: true }])).status).toBe(422);
  expect((await postResend({ type: 1 })).status).toBe(422);
});
