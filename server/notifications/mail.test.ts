import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { mailMessages } from "../../models/mail.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { notifications } from "../../models/notifications.ts";
import { notificationMail as renderNotificationMail } from "../../views/mail/notification-mail.tsx";
import type { TestApp } from "../testing/harness.ts";
import { createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { checkReplyToken, replyTokenOf } from "../tools/reply-token.ts";
import { apiAs, type Call, jsonOf } from "../work/approvals/test-kit.ts";
import { MAIL_BATCH_MS, mailWaitingNotifications } from "./mail.ts";
import { notificationsOf } from "./test-kit.ts";

let box: TestApp;
let orgId = "";
let max = "";
let asMia: Call;
const mailDeps = () => ({
  db: box.deps.db,
  log: box.deps.log,
  keyring: box.deps.keyring,
  baseUrl: "https://ops.acme.test",
});
const later = () => new Date(Date.now() + MAIL_BATCH_MS + 1000);

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  const mia = await createUser(box, { orgId, role: "manager", name: "Mia" });
  max = await createUser(box, { orgId, role: "member", name: "Max", email: "max@acme.test" });
  asMia = apiAs(box, mia, orgId);
});
afterAll(() => box.close());

beforeEach(() => {
  notificationsOf(box, orgId, max);
  box.deps.db.delete(notifications).run();
  box.deps.db.delete(mailMessages).run();
});

function mailsTo(address: string) {
  return box.deps.db.select().from(mailMessages).where(eq(mailMessages.toAddress, address)).all();
}

test("a burst of twenty assignments within the batch window is one e-mail, sent once", async () => {
  for (let n = 1; n <= 20; n++) await asMia("POST", "/api/v1/tasks", { title: `Job ${n}`, assigneeId: max });
  notificationsOf(box, orgId, max);
  // Not yet: the first one has not waited its minute.
  expect(mailWaitingNotifications(mailDeps())).toBe(0);
  expect(mailWaitingNotifications(mailDeps(), later())).toBe(1);
  expect(mailWaitingNotifications(mailDeps(), later())).toBe(0);
  const [mail] = mailsTo("max@acme.test");
  expect(mail?.subject).toBe("20 updates in Acme Ltd");
  expect(mail?.template).toBe("notification_digest");
  expect(mail?.textBody).toContain("Mia assigned “Job 1” to you");
  expect(mail?.textBody).toContain("Mia assigned “Job 20” to you");
  expect(mail?.textBody).toMatch(/Open the task: https:\/\/ops\.acme\.test\/tasks\/tsk_\w+/);
  expect(mail?.textBody).toContain("https://ops.acme.test/account/notifications");
  const rows = notificationsOf(box, orgId, max);
  expect(new Set(rows.map((row) => row.mailId))).toEqual(new Set([mail?.id ?? ""]));
  expect(rows.every((row) => row.emailStatus === "queued")).toBe(true);
});

test("a single notification uses its kind's template; e-mail switched off sends none", async () => {
  await asMia("POST", "/api/v1/tasks", { title: "Just one", assigneeId: max });
  notificationsOf(box, orgId, max);
  mailWaitingNotifications(mailDeps(), later());
  const [mail] = mailsTo("max@acme.test");
  expect(mail?.subject).toBe("Mia assigned “Just one” to you · Acme Ltd");
  expect(mail?.template).toBe("notification_task_assigned");

  await apiAs(box, max, orgId)("PUT", "/api/v1/me/notification-preferences", {
    choices: { task_assigned: { email: false } },
  });
  await asMia("POST", "/api/v1/tasks", { title: "Quiet", assigneeId: max });
  notificationsOf(box, orgId, max);
  expect(mailWaitingNotifications(mailDeps(), later())).toBe(0);
  expect(mailsTo("max@acme.test")).toHaveLength(1);
  await apiAs(box, max, orgId)("PUT", "/api/v1/me/notification-preferences", { useOrganizationDefaults: true });
});

test("a person deactivated before their batch goes out gets no e-mail", async () => {
  const bo = await createUser(box, { orgId, role: "member", name: "Bo", email: "bo@acme.test" });
  await asMia("POST", "/api/v1/tasks", { title: "For Bo", assigneeId: bo });
  notificationsOf(box, orgId, bo);
  box.deps.db.update(users).set({ status: "deactivated" }).where(eq(users.id, bo)).run();
  expect(mailWaitingNotifications(mailDeps(), later())).toBe(0);
  expect(notificationsOf(box, orgId, bo).map((row) => row.emailStatus)).toEqual(["skipped"]);
});

test("the HTML part names the organisation, links the record, escapes titles and is dark-mode aware", () => {
  const mail = renderNotificationMail({
    organization: "Acme <Tools>",
    items: [
      {
        kind: "approval_waiting",
        title: "Buy “<b>drills</b>”",
        url: "https://ops.acme.test/approvals/apr_1",
        at: "2025-03-14 09:30",
      },
    ],
    preferencesUrl: "https://ops.acme.test/account/notifications",
  });
  expect(mail.subject).toBe("Buy “<b>drills</b>” · Acme <Tools>");
  expect(mail.html).toStartWith("<!doctype html>");
  expect(mail.html).toContain("Acme &lt;Tools&gt;");
  expect(mail.html).toContain("Buy “&lt;b&gt;drills&lt;/b&gt;”");
  expect(mail.html).toContain('href="https://ops.acme.test/approvals/apr_1"');
  expect(mail.html).toContain("Review the request");
  expect(mail.html).toContain('name="color-scheme" content="light dark"');
  expect(mail.html).toContain("prefers-color-scheme: dark");
  expect(mail.html).toContain('style="');
  expect(mail.text).toContain("Review the request: https://ops.acme.test/approvals/apr_1");
});

test("with an inbound mailbox, a notification about one task has a genuine reply address and says so; a digest has none", async () => {
  box.deps.db
    .insert(mailInboxes)
    .values({ orgId, address: "ops@acme.test", host: "imap.acme.test", port: 993, security: "tls", username: "ops" })
    .run();
  try {
    const task = await jsonOf<{ id: string }>(
      await asMia("POST", "/api/v1/tasks", { title: "Reply to me", assigneeId: max }),
      201,
    );
    notificationsOf(box, orgId, max);
    mailWaitingNotifications(mailDeps(), later());
    const [single] = mailsTo("max@acme.test");
    expect(single?.replyTo).toMatch(/^ops\+[0-9a-z]+@acme\.test$/);
    const check = checkReplyToken(box.deps.keyring, { orgId, userId: max }, replyTokenOf(single?.replyTo ?? "") ?? "");
    expect(check).toMatchObject({ ok: true, subject: { kind: "task", id: task.id } });
    expect(single?.textBody).toContain("Reply to this e-mail to add a comment to the task.");
    expect(single?.htmlBody).toContain("Reply to this e-mail to add a comment to the task.");

    await asMia("POST", "/api/v1/tasks", { title: "First of two", assigneeId: max });
    await asMia("POST", "/api/v1/tasks", { title: "Second of two", assigneeId: max });
    notificationsOf(box, orgId, max);
    mailWaitingNotifications(mailDeps(), later());
    const digest = mailsTo("max@acme.test").find((mail) => mail.template === "notification_digest");
    expect(digest?.replyTo).toBeNull();
    expect(digest?.textBody).not.toContain("Reply to this e-mail");
  } finally {
    box.deps.db.delete(mailInboxes).where(eq(mailInboxes.orgId, orgId)).run();
  }
});

test("without an inbound mailbox a notification has no reply address", async () => {
  await asMia("POST", "/api/v1/tasks", { title: "No inbox", assigneeId: max });
  notificationsOf(box, orgId, max);
  mailWaitingNotifications(mailDeps(), later());
  const [mail] = mailsTo("max@acme.test");
  expect(mail?.replyTo).toBeNull();
  expect(mail?.textBody).not.toContain("Reply to this e-mail");
});

test("a notification whose e-mail failed for good shows as not delivered in the person's list and API", async () => {
  await asMia("POST", "/api/v1/tasks", { title: "Never arrives", assigneeId: max });
  notificationsOf(box, orgId, max);
  mailWaitingNotifications(mailDeps(), later());
  const [mail] = mailsTo("max@acme.test");
  const asMax = apiAs(box, max, orgId);
  const before = await jsonOf<{ data: { title: string; email: string }[] }>(
    await asMax("GET", "/api/v1/notifications"),
    200,
  );
  expect(before.data[0]?.email).toBe("waiting");
  // What the outbox worker records after a permanent refusal (an unknown mailbox: SMTP 550).
  box.deps.db
    .update(mailMessages)
    .set({ status: "failed", lastAnswer: "550 5.1.1 No such user" })
    .where(eq(mailMessages.id, mail?.id ?? ""))
    .run();
  const after = await jsonOf<{ data: { title: string; email: string }[] }>(
    await asMax("GET", "/api/v1/notifications"),
    200,
  );
  expect(after.data.map((row) => [row.title, row.email])).toEqual([
    ["Mia assigned “Never arrives” to you", "not_delivered"],
  ]);
  const page = await (await asMax("GET", "/notifications")).text();
  expect(page).toContain("e-mail not delivered");
});
