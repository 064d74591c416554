import { afterAll, beforeAll, expect } from "bun:test";
import { untilOpenStreams } from "../events/sse-test-kit.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { apiAs } from "../work/approvals/test-kit.ts";

let box: TestApp;
let orgId = "";
let mia = "";
let max = "";

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  mia = await createUser(box, { orgId, role: "manager", name: "Mia Manager", email: "mia@example.com" });
  max = await createUser(box, { orgId, role: "member", name: "Max Member", email: "max@example.com" });
  await apiAs(box, mia, orgId)("POST", "/api/v1/tasks", { title: "Service the boiler", assigneeId: max });
});
afterAll(() => box.close());

testWith(
  "chromium",
  "the bell counts a new notification live, opens to the list, and opening one marks it read",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const [name = "", value = ""] = sessionCookie(box, max, orgId).split("=");
      await context.addCookies([{ name, value, url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/`);
      const summary = page.locator("#notification-bell-summary");
      await summary.waitFor();
      await untilOpenStreams(2);
      await apiAs(box, mia, orgId)("POST", "/api/v1/tasks", { title: "Order new filters", assigneeId: max });
      await page.locator('#notification-bell-summary[aria-label="Notifications, 2 unread"]').waitFor({ timeout: 5000 });
      await summary.click();
      await page.getByRole("button", { name: /Order new filters/ }).waitFor();
      await saveScreenshot(page, "notification-bell");
      await page.getByRole("button", { name: /Order new filters/ }).click();
      await page.waitForURL(/\/tasks\/tsk_/);
      expect(await page.locator("#notification-bell-summary").getAttribute("aria-label")).toBe(
        "Notifications, 1 unread",
      );
      await page.goto(`${box.url}/notifications`);
      await saveScreenshot(page, "notification-list");
      expect(await page.locator(".notification-row.unread").count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
);
