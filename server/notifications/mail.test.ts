import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { apiAs, type Call } from "../work/approvals/test-kit.ts";
import { MAIL_BATCH_MS, mailWaitingNotifications, renderNotificationMail } from "./mail.tsx";
import { notificationsOf } from "./test-kit.ts";

let box: TestApp;
let orgId = "";
let max = "";
let asMia: Call;
const mailDeps = () => ({ db: box.deps.db, log: box.deps.log, baseUrl: "https://ops.acme.test" });
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
