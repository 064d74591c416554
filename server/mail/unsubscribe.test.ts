import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { mailSuppressions } from "../../models/mail-suppressions.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { untilMailStatus } from "../testing/outbox.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { signUnsubscribeToken } from "../tools/unsubscribe-token.ts";
import { queueMail } from "./outbox.ts";
import { saveMailSettings } from "./settings.ts";
import { suppressAddress } from "./suppression.ts";

let box: TestApp;
let acme: TestBox;
let smtp: TestSmtpServer;
beforeAll(async () => {
  [box, smtp] = await Promise.all([startInProcessApp(), startTestSmtpServer()]);
  acme = await setUpBox(box);
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
});
afterAll(async () => {
  await box.close();
  await smtp.close();
});

/** Queues a message and waits until the worker has written its outcome. */
async function send(to: string, kind: "essential" | "non_essential", status: "sent" | "suppressed" = "sent") {
  const message = queueMail(box.deps.db, box.deps.log, {
    orgId: acme.orgId,
    to,
    subject: `${kind} for ${to}`,
    text: "Body words.",
    html: "<!doctype html><html><body><p>Body words.</p></body></html>",
    template: kind === "essential" ? "invitation" : "notification_task_assigned",
    kind,
  });
  return untilMailStatus(box.deps.db, message.id, status);
}

/** What the SMTP server got for a message id, parsed. */
async function received(messageId: string) {
  const mail = smtp.received.find((item) => item.messageId?.includes(messageId));
  if (!mail) throw new Error(`no mail ${messageId} arrived`);
  return { raw: mail.raw, parsed: await PostalMime.parse(mail.raw) };
}

const header = (parsed: Awaited<ReturnType<typeof PostalMime.parse>>, name: string) =>
  parsed.headers.find((item) => item.key === name.toLowerCase())?.value ?? null;

const entryOf = (address: string) =>
  box.deps.db
    .select()
    .from(mailSuppressions)
    .where(and(eq(mailSuppressions.orgId, acme.orgId), eq(mailSuppressions.address, address)))
    .all();

test("non-essential mail carries List-Unsubscribe, List-Unsubscribe-Post and the footer link; essential mail none", async () => {
  const notification = await send("ada@example.com", "non_essential");
  const { parsed } = await received(notification.id);
  const listUnsubscribe = header(parsed, "List-Unsubscribe");
  expect(listUnsubscribe).toMatch(new RegExp(`^<${box.deps.config.baseUrl}/unsubscribe/[\\w-]+\\.[\\w-]+>$`));
  expect(header(parsed, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  const url = listUnsubscribe?.slice(1, -1) ?? "";
  expect(parsed.text).toContain(`You can stop these e-mails: ${url}`);
  expect(parsed.html).toContain(`<a href="${url}"`);
  expect(parsed.html?.indexOf("Unsubscribe")).toBeLessThan(parsed.html?.indexOf("</body>") ?? 0);

  const invitation = await send("ada@example.com", "essential");
  const essential = await received(invitation.id);
  expect(header(essential.parsed, "List-Unsubscribe")).toBeNull();
  expect(essential.raw).not.toContain("/unsubscribe/");
});

test("the link's page asks first (GET changes nothing); its button unsubscribes without signing in", async () => {
  const notification = await send("bob@example.com", "non_essential");
  const url = new URL(header((await received(notification.id)).parsed, "List-Unsubscribe")?.slice(1, -1) ?? "");
  const page = await box.fetch(url.pathname);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("bob@example.com");
  expect(html).toContain("Acme");
  expect(html).toContain(`action="${url.pathname}"`);
  expect(entryOf("bob@example.com")).toEqual([]);

  const confirmed = await box.fetch(url.pathname, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: box.url },
    body: "confirm=yes",
  });
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain("You are unsubscribed");
  expect(entryOf("bob@example.com")).toMatchObject([{ reason: "unsubscribed", source: "unsubscribe_page" }]);
  expect(await (await box.fetch(url.pathname)).text()).toContain("You are unsubscribed");
});

test("a signed-in person's browser needs the form token, like every console form", async () => {
  const token = signUnsubscribeToken(
    box.deps.keyring,
    { orgId: acme.orgId, address: "signed-in@example.com" },
    new Date(Date.now() + 60_000),
  );
  const headers = consoleHeaders(box, sessionCookie(box, acme.adminId, acme.orgId));
  const { "HX-Request": _htmx, ...plainForm } = headers;
  const refused = await box.fetch(`/unsubscribe/${token}`, {
    method: "POST",
    headers: { ...plainForm, "Content-Type": "application/x-www-form-urlencoded" },
    body: "confirm=yes",
  });
  expect(refused.status).toBe(403);
  expect(entryOf("signed-in@example.com")).toEqual([]);
});

test("a mail client's one-click POST (RFC 8058: no cookie, no form token) unsubscribes; non-essential mail stops, essential goes on", async () => {
  const notification = await send("cy@example.com", "non_essential");
  const url = new URL(header((await received(notification.id)).parsed, "List-Unsubscribe")?.slice(1, -1) ?? "");
  const oneClick = await box.fetch(url.pathname, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  expect(oneClick.status).toBe(200);
  expect(entryOf("cy@example.com")).toMatchObject([{ reason: "unsubscribed", source: "one_click" }]);
  // Twice changes nothing.
  await box.fetch(url.pathname, { method: "POST", body: "List-Unsubscribe=One-Click" });
  expect(entryOf("cy@example.com")).toHaveLength(1);

  const before = smtp.received.length;
  const stopped = await send("CY@Example.com", "non_essential", "suppressed");
  expect(stopped.lastAnswer).toMatch(/^Not sent: the address unsubscribed/);
  expect(stopped.attempts).toBe(1);
  const invitation = await send("cy@example.com", "essential");
  expect(invitation.status).toBe("sent");
  expect(smtp.received.length).toBe(before + 1);
});

test("a hard bounce or a complaint stops essential mail too", async () => {
  suppressAddress(box.deps.db, {
    orgId: acme.orgId,
    address: "gone@example.com",
    reason: "hard_bounce",
    source: "resend",
  });
  expect((await send("gone@example.com", "essential", "suppressed")).lastAnswer).toMatch(/bounced for good/);
  suppressAddress(box.deps.db, { orgId: null, address: "angry@example.com", reason: "complaint", source: "sendgrid" });
  expect((await send("angry@example.com", "essential", "suppressed")).lastAnswer).toMatch(/reported this mail as spam/);
});

test("a forged or changed token is 404, an expired one 410, and neither unsubscribes anyone", async () => {
  const token = signUnsubscribeToken(
    box.deps.keyring,
    { orgId: acme.orgId, address: "dee@example.com" },
    new Date(Date.now() + 60_000),
  );
  const [payload, mac] = token.split(".") as [string, string];
  const forged = `${payload}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
  for (const method of ["GET", "POST"]) {
    const response = await box.fetch(`/unsubscribe/${forged}`, { method, body: method === "POST" ? "x=1" : undefined });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This link does not work");
  }
  expect((await box.fetch("/unsubscribe/not-a-token")).status).toBe(404);
  const expired = signUnsubscribeToken(
    box.deps.keyring,
    { orgId: acme.orgId, address: "dee@example.com" },
    new Date(Date.now() - 1000),
  );
  const late = await box.fetch(`/unsubscribe/${expired}`, { method: "POST", body: "List-Unsubscribe=One-Click" });
  expect(late.status).toBe(410);
  expect(entryOf("dee@example.com")).toEqual([]);
});
