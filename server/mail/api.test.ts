import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { mailMessages } from "../../models/mail.ts";
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
import { untilMailStatus } from "../testing/outbox.ts";
import {
  loopbackSmtpSettings,
  startTestSmtpServer,
  TEST_SMTP_PASSWORD,
  type TestSmtpServer,
} from "../testing/smtp-server.ts";
import { queueMail } from "./outbox.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let smtp: TestSmtpServer;
beforeAll(async () => {
  [box, smtp] = await Promise.all([startInProcessApp(), startTestSmtpServer()]);
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
});
afterAll(async () => {
  await box.close();
  await smtp.close();
});

const as =
  (userId: string, orgId: string) =>
  (path: string, init: { method?: string; body?: unknown } = {}) =>
    box.fetch(path, {
      method: init.method ?? "GET",
      headers: { ...consoleHeaders(box, sessionCookie(box, userId, orgId)), "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
const admin = () => as(acme.adminId, acme.orgId);

const smtpSettings = () => loopbackSmtpSettings(smtp);

const messageRow = (id: string) => box.deps.db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();

test("mail written before delivery is configured stays in the draft log; the instance admin configures SMTP and the password is stored sealed", async () => {
  const draft = queueMail(box.deps.db, box.deps.log, {
    orgId: acme.orgId,
    to: "old@example.com",
    subject: "Written before",
    text: "x",
    template: "invoice",
  });
  expect(draft.status).toBe("logged");

  const response = await admin()("/api/v1/mail/settings", { method: "PUT", body: smtpSettings() });
  expect(response.status).toBe(200);
  const shown = await response.json();
  expect(shown).toMatchObject({
    provider: "smtp",
    host: "127.0.0.1",
    port: smtp.port,
    secretSet: true,
    preset: "custom",
  });
  expect(JSON.stringify(shown)).not.toContain(TEST_SMTP_PASSWORD);
  const stored = box.deps.db.select().from(instanceSettings).where(eq(instanceSettings.key, "email")).get();
  expect(JSON.stringify(stored?.value)).not.toContain(TEST_SMTP_PASSWORD);
  expect(await (await admin()("/api/v1/mail/settings")).json()).toEqual(shown);

  await Bun.sleep(300);
  expect(messageRow(draft.id)?.status).toBe("logged");
  expect(smtp.received.some((mail) => mail.subject === "Written before")).toBe(false);
});

test("a password reset asked for through the API arrives at the SMTP server through the outbox worker", async () => {
  const response = await box.fetch("/api/v1/auth/password-reset", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: acme.adminEmail }),
  });
  expect(response.status).toBe(204);
  await smtp.waitFor(1);
  const mail = smtp.received.find((received) => received.to.includes(acme.adminEmail));
  expect(mail?.raw).toContain("/reset-password?token=");
  const queued = box.deps.db.select().from(mailMessages).where(eq(mailMessages.template, "password_reset")).get();
  const row = await untilMailStatus(box.deps.db, queued?.id ?? "", "sent");
  expect(row).toMatchObject({ status: "sent", attempts: 1, provider: "smtp" });
  expect(row?.lastAnswer).toMatch(/^250 OK: queued as TEST\d+$/);
  expect(row?.providerMessageId).toMatch(/^TEST\d+$/);
  expect(mail?.messageId).toBe(`<${row?.id}@acme.test>`);
});

test("an empty password keeps the stored one for the same host and user, never for another host", async () => {
  const { password: _password, ...withoutPassword } = smtpSettings();
  const kept = await (await admin()("/api/v1/mail/settings", { method: "PUT", body: withoutPassword })).json();
  expect(kept.secretSet).toBe(true);
  const moved = await admin()("/api/v1/mail/settings", {
    method: "PUT",
    body: { ...withoutPassword, host: "localhost" },
  });
  expect((await moved.json()).secretSet).toBe(false);
  await admin()("/api/v1/mail/settings", { method: "PUT", body: smtpSettings() });
});

test("a preset fills host, port and TLS; a skipped certificate check is refused for a host elsewhere", async () => {
  const gmail = {
    provider: "smtp",
    preset: "gmail",
    username: "a@gmail.com",
    password: "app-pass",
    from: "a@gmail.com",
  };
  // Saved and read back, then the test's own settings restored.
  const shown = await (await admin()("/api/v1/mail/settings", { method: "PUT", body: gmail })).json();
  expect(shown).toMatchObject({
    preset: "gmail",
    host: "smtp.gmail.com",
    port: 587,
    secure: false,
    verifyCertificate: true,
  });
  const unchecked = await admin()("/api/v1/mail/settings", {
    method: "PUT",
    body: { ...gmail, verifyCertificate: false },
  });
  expect(unchecked.status).toBe(422);
  expect((await unchecked.json()).error.details[0].path).toBe("verifyCertificate");
  const resendWithoutKey = await admin()("/api/v1/mail/settings", {
    method: "PUT",
    body: { provider: "resend", from: "office@acme.test" },
  });
  expect(resendWithoutKey.status).toBe(422);
  expect((await resendWithoutKey.json()).error.details[0].path).toBe("apiKey");
  await admin()("/api/v1/mail/settings", { method: "PUT", body: smtpSettings() });
});

test("a test message reports the SMTP server's exact answer and arrives", async () => {
  const response = await admin()("/api/v1/mail/test", { method: "POST", body: { to: "check@example.com" } });
  expect(response.status).toBe(200);
  const result = await response.json();
  expect(result).toMatchObject({ status: "sent", provider: "smtp" });
  expect(result.answer).toMatch(/^250 OK: queued as TEST\d+$/);
  expect(smtp.received.some((mail) => mail.to.includes("check@example.com"))).toBe(true);
});

test("another organisation's admin reads the settings but may not change them or send a test (403)", async () => {
  const globexAdmin = as(globex.adminId, globex.orgId);
  const read = await (await globexAdmin("/api/v1/mail/settings")).json();
  expect(read.provider).toBe("smtp");
  expect(JSON.stringify(read)).not.toContain(TEST_SMTP_PASSWORD);
  expect((await globexAdmin("/api/v1/mail/settings", { method: "PUT", body: { provider: "log" } })).status).toBe(403);
  expect((await globexAdmin("/api/v1/mail/test", { method: "POST", body: { to: "x@example.com" } })).status).toBe(403);
});

test("the outbox lists by status; an admin retries a draft and it is sent, cancels a queued one", async () => {
  const listed = await (await admin()("/api/v1/mail/messages?status=logged")).json();
  const draft = listed.data.find((message: { subject: string }) => message.subject === "Written before");
  expect(draft).toMatchObject({ status: "logged", attempts: 0, to: "old@example.com" });
  expect(draft).not.toHaveProperty("textBody");

  const retried = await admin()(`/api/v1/mail/messages/${draft.id}/retry`, { method: "POST" });
  expect(retried.status).toBe(200);
  expect((await retried.json()).status).toBe("queued");
  await untilMailStatus(box.deps.db, draft.id, "sent");
  expect((await admin()(`/api/v1/mail/messages/${draft.id}/retry`, { method: "POST" })).status).toBe(409);

  // Due in an hour: still queued when the admin cancels it.
  const later = queueMail(box.deps.db, box.deps.log, {
    orgId: acme.orgId,
    to: "later@example.com",
    subject: "Later",
    text: "x",
    template: "invoice",
  });
  box.deps.db
    .update(mailMessages)
    .set({ nextAttemptAt: new Date(Date.now() + 3_600_000) })
    .where(eq(mailMessages.id, later.id))
    .run();
  const cancelled = await admin()(`/api/v1/mail/messages/${later.id}/cancel`, { method: "POST" });
  expect((await cancelled.json()).status).toBe("cancelled");
  expect((await admin()(`/api/v1/mail/messages/${later.id}/cancel`, { method: "POST" })).status).toBe(409);
});

test("another organisation's message is 404 to list, retry and cancel; a member is 403", async () => {
  const acmeMessage = queueMail(box.deps.db, box.deps.log, {
    orgId: acme.orgId,
    to: "a@example.com",
    subject: "Acme only",
    text: "x",
    template: "invoice",
  });
  const globexAdmin = as(globex.adminId, globex.orgId);
  const listed = await (await globexAdmin("/api/v1/mail/messages")).json();
  expect(listed.data.some((message: { subject: string }) => message.subject === "Acme only")).toBe(false);
  expect((await globexAdmin(`/api/v1/mail/messages/${acmeMessage.id}/retry`, { method: "POST" })).status).toBe(404);
  expect((await globexAdmin(`/api/v1/mail/messages/${acmeMessage.id}/cancel`, { method: "POST" })).status).toBe(404);
  const member = await createUser(box, { orgId: acme.orgId, role: "member" });
  expect((await as(member, acme.orgId)("/api/v1/mail/messages")).status).toBe(403);
});
