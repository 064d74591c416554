import { afterAll, beforeAll, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserCookie } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { createTaskWorld, insertProject, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;

beforeAll(async () => {
  box = await startTestApp();
  w = await createTaskWorld(box);
  insertProject(box, w.orgId, "WEBSHOP");
  insertProject(box, w.orgId, "HR");
});
afterAll(() => box.close());

testWith(
  "chromium",
  "the task form's project field searches as one types and is chosen with the keyboard",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      await context.addCookies([browserCookie(box, w.cookies.admin)]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/tasks/new?projectId=${w.projectId}`);
      expect(await page.inputValue("#task-project")).toBe("WEB");
      await page.fill("#task-form input[name=title]", "Order the shelves");

      await page.fill("#task-project", "");
      await page.locator("#task-project").pressSequentially("web");
      await page.waitForSelector("#task-project-options [data-code=WEBSHOP]");
      expect(await page.getAttribute("#task-project", "aria-expanded")).toBe("true");
      await saveScreenshot(page, "task-form-project-search");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-code"))).toBe("WEBSHOP");
      await page.keyboard.press("Enter");
      expect(await page.inputValue("#task-project")).toBe("WEBSHOP");
      expect(await page.locator("#task-project-options [role=option]").count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("task-project");

      await page.click("#task-form button[type=submit]");
      await page.waitForURL(/\/tasks\/tsk_/);
      const id = new URL(page.url()).pathname.split("/").at(-1) ?? "";
      const row = box.deps.db.select().from(tasks).where(eq(tasks.id, id)).get();
      expect(row?.title).toBe("Order the shelves");
      expect(row?.projectId).not.toBe(w.projectId);
      expect(row?.projectId).not.toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
