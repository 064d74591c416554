import { afterAll, beforeAll, expect } from "bun:test";
import { memberships } from "../../../models/identity.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { newId } from "../../tools/ids.ts";

let box: TestApp;
let cookie = "";
beforeAll(async () => {
  box = await startTestApp();
  const acme = await setUpBox(box, { name: "Acme Ltd" });
  const globex = await createOrganization(box, "Globex");
  const memberId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Mo Member" });
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: globex.orgId, userId: memberId, role: "viewer" })
    .run();
  cookie = sessionCookie(box, memberId, acme.orgId);
});
afterAll(() => box.close());

testWith(
  "chromium",
  "a member of two organisations switches between them from the account menu",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name, value] = cookie.split("=");
      await context.addCookies([{ name: name ?? "", value: value ?? "", url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(box.url);
      expect(await page.textContent("main h1")).toBe("Acme Ltd");
      // Settings is only offered to people who manage something there.
      expect(await page.$$eval(".app-nav li", (items) => items.map((item) => item.textContent))).not.toContain(
        "Settings",
      );
      await page.click(".account-menu summary");
      expect(await page.textContent(".account-menu-current")).toContain("Acme Ltd");
      await saveScreenshot(page, "account-menu-organisations");
      await page.click(".account-menu button:has-text('Globex')");
      await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Globex");
      await page.click(".account-menu summary");
      expect(await page.textContent(".account-menu-current")).toContain("Globex");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  30_000,
);
