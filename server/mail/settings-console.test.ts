import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { mailMessages } from "../../models/mail.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createOrganization, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { untilMailStatus } from "../testing/outbox.ts";
import {
  startTestSmtpServer,
  TEST_SMTP_PASSWORD,
  TEST_SMTP_USER,
  type TestSmtpServer,
} from "../testing/smtp-server.ts";
import { queueMail } from "./outbox.ts";
import { describeMailSettings } from "./settings.ts";

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

const post = (userId: string, orgId: string, path: string, fields: Record<string, string>) =>
  box.fetch(path, {
    method: "POST",
    headers: {
      ...consoleHeaders(box, sessionCookie(box, userId, orgId)),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields).toString(),
  });
const page = async (userId: string, orgId: string, path: string) => {
  const response = await box.fetch(path, { headers: { Cookie: sessionCookie(box, userId, orgId) } });
  expect(response.status).toBe(200);
  return response.text();
};

const smtpForm = () => ({
  provider: "smtp",
  preset: "custom",
  host: "127.0.0.1",
  port: String(smtp.port),
  security: "starttls",
  skipCertificateCheck: "on",
  username: TEST_SMTP_USER,
  password: TEST_SMTP_PASSWORD,
  from: "office@acme.test",
  fromName: "Acme Office",
  giveUpAfterHours: "24",
});

test("the page says mail stays in the draft log until a provider is chosen, and offers the presets", async () => {
  const html = await page(acme.adminId, acme.orgId, "/settings/email");
  expect(html).toContain("No provider is configured: messages stay in the draft log");
  for (const preset of ["Gmail", "Outlook / Microsoft 365", "Yahoo Mail", "Proton Mail", "Zoho Mail", "iCloud Mail"])
    expect(html).toContain(preset);
});

test("a form without a host or sender is drawn again with its field errors (422), keeping what was typed but never the password", async () => {
  const noHost = await post(acme.adminId, acme.orgId, "/settings/email", { ...smtpForm(), host: "" });
  expect(noHost.status).toBe(422);
  const html = await noHost.text();
  expect(html).toContain("Enter the SMTP server&#39;s host name.");
  expect(html).toContain(`value="${TEST_SMTP_USER}"`);
  expect(html).not.toContain(TEST_SMTP_PASSWORD);
  const badSender = await post(acme.adminId, acme.orgId, "/settings/email", { ...smtpForm(), from: "nope" });
  expect(badSender.status).toBe(422);
  expect(await badSender.text()).toContain("Enter the sender address, like office@example.com.");
});

test("the instance admin saves SMTP settings; the page shows them without the password", async () => {
  const response = await post(acme.adminId, acme.orgId, "/settings/email", smtpForm());
  expect(response.headers.get("HX-Redirect")).toBe("/settings/email?notice=saved");
  expect(describeMailSettings(box.deps.db)).toMatchObject({
    provider: "smtp",
    port: smtp.port,
    secretSet: true,
    verifyCertificate: false,
  });
  const html = await page(acme.adminId, acme.orgId, "/settings/email?notice=saved");
  expect(html).toContain("E-mail settings saved.");
  expect(html).toContain("Stored: leave empty to keep it");
  expect(html).not.toContain(TEST_SMTP_PASSWORD);
});

test("“Send a test message” shows the SMTP server's exact answer", async () => {
  const response = await post(acme.adminId, acme.orgId, "/settings/email/test", { to: "check@example.com" });
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain("Accepted");
  expect(html).toMatch(/250 OK: queued as TEST\d+/);
  const invalid = await post(acme.adminId, acme.orgId, "/settings/email/test", { to: "not an address" });
  expect(invalid.status).toBe(422);
});

test("another organisation's admin sees the settings read-only and may not save or test them (403)", async () => {
  const html = await page(globex.adminId, globex.orgId, "/settings/email");
  expect(html).toContain('id="email-read-only"');
  expect(html).toContain("<fieldset disabled");
  expect((await post(globex.adminId, globex.orgId, "/settings/email", { provider: "log" })).status).toBe(403);
  expect((await post(globex.adminId, globex.orgId, "/settings/email/test", { to: "x@example.com" })).status).toBe(403);
});

test("the outbox filters by status, retries a draft (it is sent) and cancels a queued message; another organisation's is 404", async () => {
  const draft = box.deps.db
    .insert(mailMessages)
    .values({
      id: "msg_06h0000000000000000000draft",
      orgId: acme.orgId,
      toAddress: "old@example.com",
      subject: "Kept draft",
      textBody: "x",
      template: "invoice",
      status: "logged",
    })
    .returning()
    .get();
  const logged = await page(acme.adminId, acme.orgId, "/settings/outbox?status=logged");
  expect(logged).toContain("Kept draft");
  expect(logged).toContain("Send it now");
  expect(await page(acme.adminId, acme.orgId, "/settings/outbox?status=sent")).not.toContain("Kept draft");

  expect((await post(globex.adminId, globex.orgId, `/settings/outbox/${draft.id}/retry`, {})).status).toBe(404);
  const retried = await post(acme.adminId, acme.orgId, `/settings/outbox/${draft.id}/retry`, {});
  expect(retried.headers.get("HX-Redirect")).toBe("/settings/outbox?notice=retried");
  const sent = await untilMailStatus(box.deps.db, draft.id, "sent");
  const sentPage = await page(acme.adminId, acme.orgId, "/settings/outbox?status=sent");
  expect(sentPage).toContain("1 attempt(s)");
  expect(sentPage).toContain(sent.lastAnswer ?? "missing");

  const later = queueMail(box.deps.db, box.deps.log, {
    orgId: acme.orgId,
    to: "l@example.com",
    subject: "Later",
    text: "x",
    template: "invoice",
  });
  box.deps.db
    .update(mailMessages)
    .set({ nextAttemptAt: new Date(Date.now() + 3_600_000) })
    .where(eq(mailMessages.id, later.id))
    .run();
  expect((await post(globex.adminId, globex.orgId, `/settings/outbox/${later.id}/cancel`, {})).status).toBe(404);
  expect((await post(acme.adminId, acme.orgId, `/settings/outbox/${later.id}/cancel`, {})).status).toBe(200);
  const again = await post(acme.adminId, acme.orgId, `/settings/outbox/${later.id}/cancel`, {});
  expect(again.status).toBe(409);
  expect(await again.text()).toContain("A cancelled message cannot be cancelled.");
});
