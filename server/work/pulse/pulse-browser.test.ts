import { afterAll, beforeAll, expect } from "bun:test";
import type { BrowserContext } from "playwright-core";
import { createApiKey } from "../../auth/keys/api-keys.ts";
import { permissions } from "../../auth/roles/permissions.ts";
import { untilOpenStreams } from "../../events/sse-test-kit.ts";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { todayUtc, weekStartOf } from "../../tools/days.ts";
import { hoursAgo, insertInvoice, insertTask, insertTimeEntry } from "./pulse-test-kit.ts";

let box: TestApp;
let orgId = "";
let managerId = "";
let memberId = "";
let managerKey = "";

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  managerId = await createUser(box, { orgId, role: "manager", name: "Mia Manager", email: "mia@example.com" });
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member", email: "mo@example.com" });
  managerKey = createApiKey(
    box.deps.db,
    { orgId, userId: managerId, name: "browser test", scopes: [...permissions], expiresAt: null },
    new Set(permissions),
  ).key;
  const now = new Date();
  insertTask(box, orgId, {
    title: "Service the boiler",
    assigneeId: memberId,
    priority: "high",
    dueAt: hoursAgo(-30, now),
  });
  insertTask(box, orgId, { title: "Order filters", assigneeId: memberId, dueAt: hoursAgo(20, now) }, hoursAgo(60, now));
  insertTask(box, orgId, { title: "Quote for the Lisbon office" }, hoursAgo(80, now));
  insertInvoice(box, orgId, { number: "INV-0042", status: "overdue", dueDate: "2020-02-01", total: 129_900 });
  insertTimeEntry(box, orgId, memberId, weekStartOf(todayUtc(now)), 150);
});
afterAll(() => box.close());

async function signedIn(browser: TestBrowser, userId: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name = "", value = ""] = sessionCookie(box, userId, orgId).split("=");
  await context.addCookies([{ name, value, url: box.url }]);
  return context;
}

testWith(
  "chromium",
  "a manager assigns a task through the API and it appears on the assignee's Pulse without reloading",
  async () => {
    const browser = await launchBrowser();
    try {
      const member = await (await signedIn(browser, memberId)).newPage();
      const manager = await (await signedIn(browser, managerId)).newPage();
      const memberErrors = collectPageErrors(member);
      const managerErrors = collectPageErrors(manager);
      await member.goto(`${box.url}/`);
      await manager.goto(`${box.url}/`);
      expect(await member.textContent("main h1")).toBe("Acme Ltd");
      await untilOpenStreams(2);
      expect(await member.isVisible("#pulse-invoices")).toBe(false);
      expect(await manager.isVisible("#pulse-invoices")).toBe(true);

      let loads = 0;
      member.on("load", () => loads++);
      const created = await fetch(`${box.url}/api/v1/tasks`, {
        method: "POST",
        headers: { Authorization: `Bearer ${managerKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title: "Replace the pressure valve", assigneeId: memberId, priority: "urgent" }),
      });
      expect(created.status).toBe(201);

      await member.waitForSelector('#pulse-my-tasks a:has-text("Replace the pressure valve")', { timeout: 5000 });
      await member.waitForSelector('#pulse-feed-list .feed-item-mine:has-text("Replace the pressure valve")');
      await manager.waitForSelector('#pulse-feed-list .feed-item:has-text("Replace the pressure valve")');
      expect(loads).toBe(0);
      // The feed keeps its order: the new item on top.
      const first = await member.textContent("#pulse-feed-list li:first-child .feed-summary");
      expect(first).toContain("Replace the pressure valve");
      await member.waitForTimeout(1600);
      await saveScreenshot(member, "pulse-member-live");
      await saveScreenshot(manager, "pulse-manager");
      expect(memberErrors).toEqual([]);
      expect(managerErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  30_000,
);

testWith("chromium", "the API reference page reads well without any script from elsewhere", async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const external: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(box.url)) external.push(request.url());
    });
    await page.goto(`${box.url}/api/docs`);
    expect(await page.textContent("h1")).toBe("API reference");
    await page.click("#postInvitations summary");
    expect(await page.isVisible("#postInvitations table.api-fields")).toBe(true);
    await page.click("#getEvents summary");
    await saveScreenshot(page, "api-docs");
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
