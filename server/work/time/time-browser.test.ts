import { afterAll, beforeAll, expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { timers } from "../../../models/time.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserCookie } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { addDays } from "../../tools/days.ts";
import { createTimeWorld, insertProject, logTime, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

beforeAll(async () => {
  box = await startTestApp();
  w = await createTimeWorld(box);
  const ops = insertProject(box, w.orgId, "OPS", "Operations");
  const week = w.thisWeek;
  await logTime(w.as.member, {
    date: week,
    minutes: 240,
    taskId: w.taskId,
    note: "Replaced the valve",
    billable: true,
  });
  await logTime(w.as.member, { date: week, minutes: 150, projectId: ops, note: "Stand-up and planning" });
  await logTime(w.as.member, { date: addDays(week, 1), minutes: 420, projectId: w.projectId, billable: true });
  await logTime(w.as.member, { date: addDays(week, 2), minutes: 90, projectId: ops, note: "Supplier call" });
  await w.as.member("POST", "/api/v1/timers", { taskId: w.taskId, note: "Pressure test", billable: true });
  box.deps.db
    .update(timers)
    .set({ startedAt: new Date(Date.now() - 75 * 60_000) })
    .where(and(eq(timers.orgId, w.orgId), eq(timers.userId, w.ids.member)))
    .run();
});
afterAll(() => box.close());

testWith(
  "chromium",
  "a member logs, edits and times work on /time, then submits the week; the lead sees it on /time/team",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([browserCookie(box, w.cookies.member)]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/time`);
      expect(await page.textContent("h1")).toBe("My week");
      expect(await page.textContent(".timer-panel")).toContain("Fix the boiler");
      expect(await page.textContent("table.time-grid tfoot")).toContain("15:00");
      await saveScreenshot(page, "time-week");

      // A mistyped duration comes back with everything that was typed.
      await page.fill("#add-entry input[name=duration]", "lots");
      await page.selectOption("#add-entry select[name=work]", `project:${w.projectId}`);
      await page.fill("#add-entry input[name=note]", "Site visit");
      await page.click("#add-entry button[type=submit]");
      await page.waitForSelector("#add-entry input[name=duration][aria-invalid=true]");
      expect(await page.inputValue("#add-entry input[name=note]")).toBe("Site visit");
      expect(await page.inputValue("#add-entry select[name=work]")).toBe(`project:${w.projectId}`);
      await page.fill("#add-entry input[name=duration]", "1:15");
      await page.click("#add-entry button[type=submit]");
      await page.waitForSelector("text=Logged 1 h 15 min on Website.");
      expect(await page.textContent("table.time-entries")).toContain("Site visit");

      // Inline edit of the first entry.
      await page.click("table.time-entries tr.time-entry >> nth=0 >> text=Edit");
      await page.waitForSelector("tr.editing input[name=duration]");
      await saveScreenshot(page, "time-week-edit");
      await page.fill("tr.editing input[name=duration]", "3:30");
      await page.click("tr.editing button[type=submit]");
      await page.waitForSelector("text=Saved 3 h 30 min");

      // Stop the running timer: its time becomes an entry.
      await page.click("text=Stop and save");
      await page.waitForSelector("text=/Saved 1 h 1\\d min on “Fix the boiler”/");
      expect(await page.isVisible(".timer-start")).toBe(true);

      // Submit the week: it locks.
      page.on("dialog", (dialog) => void dialog.accept());
      await page.click("text=Submit week");
      await page.waitForSelector(".timesheet-status[data-status=submitted]");
      expect(await page.isVisible("#add-entry")).toBe(false);
      expect(await page.locator("table.time-entries >> text=Edit").count()).toBe(0);
      await saveScreenshot(page, "time-week-submitted");
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);

      const lead = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await lead.addCookies([browserCookie(box, w.cookies.lead)]);
      const leadPage = await lead.newPage();
      await leadPage.goto(`${box.url}/time/team`);
      expect(await leadPage.textContent("table.time-team")).toContain("Mo Member");
      expect(await leadPage.textContent("table.time-team")).not.toContain("Oz Outsider");
      await saveScreenshot(leadPage, "time-team");
      await leadPage.goto(`${box.url}/time/totals`);
      await saveScreenshot(leadPage, "time-totals");
    } finally {
      await browser.close();
    }
  },
  60_000,
);
