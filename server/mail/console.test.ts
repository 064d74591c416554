import { afterAll, beforeAll, expect, test } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { queueMail } from "./outbox.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  const mail = (orgId: string | null, to: string, template: string, text: string) =>
    queueMail(box.deps.db, box.deps.log, { orgId, to, subject: `${template} for ${to}`, text, template });
  mail(
    acme.orgId,
    "new@acme.test",
    "invitation",
    "Choose your password: https://box/invitations/accept?token=acme-token",
  );
  mail(
    globex.orgId,
    "new@globex.test",
    "invitation",
    "Choose your password: https://box/invitations/accept?token=globex-token",
  );
  mail(null, "admin@globex.test", "password_reset", "Reset: https://box/reset-password?token=reset-token");
});
afterAll(() => box.close());

async function outboxAs(userId: string, orgId: string): Promise<Response> {
  return box.fetch("/settings/outbox", { headers: { Cookie: sessionCookie(box, userId, orgId) } });
}

test("an organisation's admin reads its invitations, never another organisation's, nor password resets", async () => {
  const response = await outboxAs(globex.adminId, globex.orgId);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain("globex-token");
  expect(html).not.toContain("acme-token");
  expect(html).not.toContain("reset-token");
});

test("the box's instance admin also reads password resets, which belong to no organisation", async () => {
  const html = await (await outboxAs(acme.adminId, acme.orgId)).text();
  expect(html).toContain("acme-token");
  expect(html).toContain("reset-token");
  expect(html).not.toContain("globex-token");
});

test("a member may not read the outbox (403)", async () => {
  const memberId = await createUser(box, { orgId: acme.orgId, role: "member" });
  expect((await outboxAs(memberId, acme.orgId)).status).toBe(403);
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
