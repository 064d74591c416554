import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { memberships } from "../../models/identity.ts";
import { instanceSettings } from "../../models/instance.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { newId } from "../tools/ids.ts";
import { queueMail } from "./outbox.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
const mail = (orgId: string | null, to: string, template: string, text: string) =>
  queueMail(box.deps.db, box.deps.log, { orgId, to, subject: `${template} for ${to}`, text, template });

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  // Brand-new accounts each organisation created: their invitations are that organisation's to pass on.
  await createUser(box, { orgId: acme.orgId, role: "member", email: "new@acme.test", status: "invited" });
  await createUser(box, { orgId: globex.orgId, role: "member", email: "new@globex.test", status: "invited" });
  // An account that already chose its password, and one that Acme shares with Globex.
  await createUser(box, { orgId: globex.orgId, role: "member", email: "old@globex.test" });
  const shared = await createUser(box, {
    orgId: acme.orgId,
    role: "member",
    email: "shared@acme.test",
    status: "invited",
  });
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: globex.orgId, userId: shared, role: "member", createdAt: new Date() })
    .run();
  mail(
    acme.orgId,
    "new@acme.test",
    "invitation",
    "Choose your password: https://box/invitations/accept?token=acme-token",
  );
  mail(globex.orgId, "new@globex.test", "invitation", "Choose: https://box/invitations/accept?token=globex-token");
  mail(globex.orgId, "old@globex.test", "invitation", "Choose: https://box/invitations/accept?token=active-token");
  mail(globex.orgId, "shared@acme.test", "invitation", "Choose: https://box/invitations/accept?token=shared-token");
  mail(globex.orgId, "client@example.com", "invoice", "Invoice 7 is attached. Pay at https://pay.example/7");
  mail(null, "new@globex.test", "password_reset", "Reset: https://box/reset-password?token=reset-token");
  mail(null, acme.adminEmail, "password_reset", "Reset: https://box/reset-password?token=own-reset-token");
});
afterAll(() => box.close());

async function outboxAs(userId: string, orgId: string): Promise<string> {
  const response = await box.fetch("/settings/outbox", { headers: { Cookie: sessionCookie(box, userId, orgId) } });
  expect(response.status).toBe(200);
  return response.text();
}

test("an organisation's admin reads its invitations to accounts it created, never another organisation's", async () => {
  const html = await outboxAs(globex.adminId, globex.orgId);
  expect(html).toContain("globex-token");
  expect(html).toContain("Pay at https://pay.example/7");
  expect(html).not.toContain("acme-token");
  expect(html).not.toContain("new@acme.test");
});

test("an invitation link for an account that is active, or that another organisation shares, is hidden", async () => {
  const html = await outboxAs(globex.adminId, globex.orgId);
  expect(html).toContain("old@globex.test");
  expect(html).not.toContain("active-token");
  expect(html).toContain("shared@acme.test");
  expect(html).not.toContain("shared-token");
  expect(html).toContain("link hidden");
  // Acme's own invitation to the account it alone holds is still Acme's to pass on.
  expect(await outboxAs(acme.adminId, acme.orgId)).toContain("acme-token");
});

test("nobody reads someone else's password reset, not even the box's instance admin", async () => {
  for (const [userId, orgId] of [
    [acme.adminId, acme.orgId],
    [globex.adminId, globex.orgId],
  ] as const) {
    const html = await outboxAs(userId, orgId);
    expect(html).not.toContain("token=reset-token");
    expect(html).not.toContain("password_reset for new@globex.test");
  }
});

test("a message to the signed-in person is shown to them whole", async () => {
  const html = await outboxAs(acme.adminId, acme.orgId);
  expect(html).toContain("own-reset-token");
  expect(await outboxAs(globex.adminId, globex.orgId)).not.toContain("own-reset-token");
});

test("once e-mail delivery is configured, no single-use link is shown at all", async () => {
  const now = new Date();
  const smtp = { provider: "smtp", host: "mail.example", port: 587, from: "office@example.com" };
  box.deps.db
    .insert(instanceSettings)
    .values({ key: "email", value: smtp, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: smtp, updatedAt: now } })
    .run();
  try {
    const html = await outboxAs(globex.adminId, globex.orgId);
    expect(html).toContain("new@globex.test");
    expect(html).not.toContain("globex-token");
    expect(await outboxAs(acme.adminId, acme.orgId)).not.toContain("own-reset-token");
  } finally {
    box.deps.db
      .update(instanceSettings)
      .set({ value: { provider: "log" } })
      .where(eq(instanceSettings.key, "email"))
      .run();
  }
});

test("a member may not read the outbox (403)", async () => {
  const memberId = await createUser(box, { orgId: acme.orgId, role: "member" });
  const response = await box.fetch("/settings/outbox", {
    headers: { Cookie: sessionCookie(box, memberId, acme.orgId) },
  });
  expect(response.status).toBe(403);
});

testWith(
  "chromium",
  "the outbox page lists messages and opens one",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name, value] = sessionCookie(box, acme.adminId, acme.orgId).split("=");
      await context.addCookies([{ name: name ?? "", value: value ?? "", url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/outbox`);
      await page.click(".outbox-list summary >> nth=0");
      expect(await page.isVisible(".outbox-body >> nth=0")).toBe(true);
      await saveScreenshot(page, "settings-outbox");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  30_000,
);
