import { afterAll, beforeAll, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import {
  browserSessionCookie,
  createOrganization,
  createUser,
  setUpBox,
  type TestBox,
} from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { latestMail, linkOf } from "../people/people-test-kit.ts";

let box: TestApp;
let acme: TestBox;

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  await createUser(box, { orgId: acme.orgId, role: "member", email: "mo@example.com", name: "Mo Member" });
  // The admin also works for Globex, so the organisation switcher shows.
  await createUser(box, { orgId: globex.orgId, role: "viewer", email: "viewer@globex.test" });
  box.deps.db
    .insert(memberships)
    .values({ id: "mem_browser", orgId: globex.orgId, userId: acme.adminId, role: "admin" })
    .run();
});
afterAll(() => box.close());

function adminCookie() {
  return browserSessionCookie(box, acme.adminId, acme.orgId);
}

testWith(
  "chromium",
  "an admin invites a person on /settings/users and the person accepts from the e-mailed link",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/users`);
      expect(await page.textContent("h1")).toBe("Users and roles");
      expect(await page.isVisible("select#organization-switch")).toBe(true);
      await saveScreenshot(page, "settings-users");

      // A mistyped address keeps what was typed.
      await page.fill("#invite-form input[name=email]", "nina@example");
      await page.fill("#invite-form input[name=name]", "Nina New");
      await page.selectOption("#invite-form select[name=role]", "team_lead");
      await page.click("#invite-form button[type=submit]");
      await page.waitForSelector("#invite-form input[name=email][aria-invalid=true]");
      expect(await page.inputValue("#invite-form input[name=name]")).toBe("Nina New");
      await saveScreenshot(page, "settings-users-invite-error");

      await page.fill("#invite-form input[name=email]", "nina@example.com");
      await page.click("#invite-form button[type=submit]");
      await page.waitForSelector("text=Invitation sent to nina@example.com.");
      expect(await page.textContent("table.people")).toContain("Nina New");
      expect(await page.inputValue("#invite-form input[name=email]")).toBe("");
      await saveScreenshot(page, "settings-users-invited");

      // Deactivation asks first.
      const mo = box.deps.db.select().from(users).where(eq(users.email, "mo@example.com")).get();
      await page.click(`#person-${mo?.id} button:has-text("Deactivate")`);
      await page.waitForSelector(".confirm-deactivate");
      await saveScreenshot(page, "settings-users-confirm-deactivate");
      await page.click('.confirm-deactivate button:has-text("Yes, deactivate")');
      await page.waitForSelector(`#person-${mo?.id}[data-status=deactivated]`);

      await page.goto(`${box.url}/settings/security`);
      expect(await page.textContent("h1")).toBe("Security policy");
      await saveScreenshot(page, "settings-security");
      // The 422 of the mistyped invitation is logged by the browser as a failed load; nothing else may be.
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);

      // The invited person opens the link from the draft log in a browser of their own.
      const mail = latestMail(box, "nina@example.com");
      expect(mail?.template).toBe("invitation");
      const { path } = linkOf(mail as NonNullable<typeof mail>);
      const invitee = await browser.newContext();
      const inviteePage = await invitee.newPage();
      const inviteeErrors = collectPageErrors(inviteePage);
      await inviteePage.goto(`${box.url}${path}`);
      expect(new URL(inviteePage.url()).pathname).toBe("/invitations/accept");
      expect(new URL(inviteePage.url()).search).toBe("");
      expect(await inviteePage.textContent("h1")).toBe("Join Acme Ltd");
      await saveScreenshot(inviteePage, "accept-invitation");
      await inviteePage.fill("input[name=password]", "marmalade skyline 2031");
      await inviteePage.fill("input[name=confirm]", "marmalade skyline 2031");
      await inviteePage.click("button[type=submit]");
      await inviteePage.waitForURL(`${box.url}/`);
      const me = await inviteePage.request.get(`${box.url}/api/v1/me`);
      expect(me.status()).toBe(200);
      expect(await me.json()).toMatchObject({ email: "nina@example.com", role: "team_lead" });
      await saveScreenshot(inviteePage, "accept-invitation-signed-in");
      expect(inviteeErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);

testWith("chromium", "the forgot-password page answers without saying whether the account exists", async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${box.url}/forgot-password`);
    await saveScreenshot(page, "forgot-password");
    await page.fill("input[name=email]", "someone@example.com");
    await page.click("button[type=submit]");
    await page.waitForSelector("text=If someone@example.com belongs to an account");
    await saveScreenshot(page, "forgot-password-sent");
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
