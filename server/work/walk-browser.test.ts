import { afterAll, beforeAll, expect } from "bun:test";
import type { Page } from "playwright-core";
import { openEventStreamCount } from "../events/stream.ts";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";

/**
 * The walk of issue 4's "done when": a manager creates a project, adds a task, assigns it,
 * moves it on the board and completes it, all in the console, while the assignee watches
 * their Pulse change without reloading.
 */
let box: TestApp;
let orgId = "";
let managerId = "";
let memberId = "";

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  managerId = await createUser(box, { orgId, role: "manager", name: "Mia Manager", email: "mia@example.com" });
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member", email: "mo@example.com" });
});
afterAll(() => box.close());

async function signedIn(browser: TestBrowser, userId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const cookie = sessionCookie(box, userId, orgId);
  const at = cookie.indexOf("=");
  await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: box.url }]);
  return context.newPage();
}

async function untilStreams(count: number): Promise<void> {
  for (let tries = 0; tries < 100 && openEventStreamCount() < count; tries++) await Bun.sleep(50);
  expect(openEventStreamCount()).toBeGreaterThanOrEqual(count);
}

testWith(
  "chromium",
  "create project → add task → assign → move on the board → complete, seen live on the assignee's Pulse",
  async () => {
    const browser = await launchBrowser();
    try {
      const member = await signedIn(browser, memberId);
      const manager = await signedIn(browser, managerId);
      const memberErrors = collectPageErrors(member);
      const managerErrors = collectPageErrors(manager);
      await member.goto(`${box.url}/`);
      await untilStreams(1);
      let memberLoads = 0;
      member.on("load", () => memberLoads++);
      // The header keeps its one line at a laptop's width, all items in view.
      const rows = await member.$$eval(
        ".app-nav li",
        (items) => new Set(items.map((li) => li.getBoundingClientRect().top)).size,
      );
      expect(rows).toBe(1);
      expect(await member.$eval(".app-nav", (nav) => nav.scrollWidth <= nav.clientWidth)).toBe(true);

      // Create the project.
      await manager.goto(`${box.url}/projects/new`);
      await manager.fill("#project-form input[name=name]", "Office move");
      await manager.fill("#project-form input[name=code]", "MOVE");
      await manager.click("#project-form button[type=submit]");
      await manager.waitForURL(/\/projects\/prj_/);
      const projectId = new URL(manager.url()).pathname.split("/")[2] ?? "";

      // Add a task from the project's board.
      await manager.click(".work-actions a:has-text('Board')");
      await manager.waitForURL(/\/tasks\/board\?projectId=/);
      await manager.click("a:has-text('New task')");
      await manager.waitForSelector("#task-form");
      expect(await manager.inputValue("#task-form input[name=project]")).toBe("MOVE");
      await manager.fill("#task-form input[name=title]", "Pack the archive boxes");
      await manager.selectOption("#task-form select[name=priority]", "high");
      await manager.click("#task-form button[type=submit]");
      await manager.waitForURL(/\/tasks\/tsk_/);
      const taskId = new URL(manager.url()).pathname.split("/")[2] ?? "";

      // Assign it to the member: it appears on their Pulse.
      await manager.selectOption(".task-quick select[name=assigneeId]", { label: "Mo Member" });
      await manager.waitForSelector(".task-facts dd:has-text('Mo Member')");
      await member.waitForSelector(`#pulse-my-tasks a:has-text("Pack the archive boxes")`, { timeout: 5000 });
      await member.waitForSelector('#pulse-feed-list .feed-item-mine:has-text("Pack the archive boxes")');

      // Move it on the board with the keyboard: To do → In progress.
      await manager.goto(`${box.url}/tasks/board?projectId=${projectId}`);
      await manager.focus(`#card-${taskId}`);
      await manager.keyboard.press("ArrowRight");
      await manager.waitForFunction(() =>
        document.getElementById("board-announcer")?.textContent?.includes("In progress"),
      );
      await member.waitForSelector('#pulse-my-tasks li:has-text("Pack the archive boxes"):has-text("In progress")');

      // Complete it on its page: it leaves the member's open tasks, and the feed says so.
      await manager.goto(`${box.url}/tasks/${taskId}`);
      await manager.selectOption(".task-quick select[name=status]", "done");
      await manager.waitForSelector(".task-quick select[name=status] option[value=done][selected]", {
        state: "attached",
      });
      await member.waitForSelector('#pulse-feed-list .feed-item:has-text("to Done")');
      await member.waitForFunction(
        () => !document.querySelector("#pulse-my-tasks")?.textContent?.includes("Pack the archive boxes"),
      );
      expect(memberLoads).toBe(0);
      await saveScreenshot(member, "walk-member-pulse");
      expect(memberErrors).toEqual([]);
      expect(managerErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
