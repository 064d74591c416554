import { afterAll, beforeAll, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { timeEntries } from "../../../../models/time.ts";
import { taskChanges, taskComments } from "../../../../models/work.ts";
import { collectPageErrors, launchBrowser } from "../../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../../testing/harness.ts";
import { browserCookie } from "../../../testing/identity.ts";
import { testWith } from "../../../testing/tools.ts";
import { newId } from "../../../tools/ids.ts";
import { createTimeWorld, insertTask, type TimeWorld } from "../test-kit.ts";

let box: TestApp;
let w: TimeWorld;
let valvesId: string;

beforeAll(async () => {
  box = await startTestApp();
  w = await createTimeWorld(box);
  valvesId = insertTask(box, w.orgId, w.projectId, "Order valves", w.ids.member);
  const now = new Date();
  box.deps.db
    .insert(taskChanges)
    .values({
      id: newId("chg"),
      orgId: w.orgId,
      taskId: w.taskId,
      actorId: w.ids.member,
      field: "status",
      toValue: '"review"',
      createdAt: now,
    })
    .run();
  box.deps.db
    .insert(taskComments)
    .values({
      id: newId("cmt"),
      orgId: w.orgId,
      taskId: valvesId,
      authorId: w.ids.member,
      body: "Ordered.",
      createdAt: now,
    })
    .run();
});
afterAll(() => box.close());

testWith(
  "chromium",
  "a member opens the draft from the week page, adds one suggestion with edited minutes and discards the other",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([browserCookie(box, w.cookies.member)]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/time`);
      await page.click("text=Draft from my work");
      await page.waitForSelector("h1:has-text('Timesheet draft')");
      expect(await page.textContent(".draft-suggestions")).toContain("moved “Fix the boiler” to Review");
      const boiler = `tr[data-key$=":${w.taskId}"]`;
      const valves = `tr[data-key$=":${valvesId}"]`;
      await page.uncheck(`${valves} input[name=pick]`);
      await page.fill(`${boiler} input.draft-minutes`, "45");
      await page.click("button:has-text('Add selected')");
      await page.waitForSelector("text=Added 1 time entry to your week.");
      const entries = box.deps.db.select().from(timeEntries).where(eq(timeEntries.userId, w.ids.member)).all();
      expect(entries.map((entry) => [entry.taskId, entry.minutes])).toEqual([[w.taskId, 45]]);
      expect(await page.$(boiler)).toBeNull();
      await page.click("button:has-text('Discard selected')");
      await page.waitForSelector("text=No suggestions for this week");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
);
