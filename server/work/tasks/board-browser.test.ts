import { afterAll, beforeAll, expect } from "bun:test";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { tasks } from "../../../models/work.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { testWith } from "../../testing/tools.ts";
import type { TaskJson } from "./service.ts";
import { createTaskWorld, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
const made: Record<string, TaskJson> = {};

beforeAll(async () => {
  box = await startTestApp();
  w = await createTaskWorld(box);
  const specs: [string, Record<string, unknown>][] = [
    ["Order the boiler parts", { status: "todo", priority: "high", dueAt: "2020-05-01", labels: ["plumbing"] }],
    ["Paint the fence", { status: "todo", assigneeId: w.memberId, projectId: w.projectId, dueAt: "2099-01-01" }],
    ["Call the roofer", { status: "in_progress", assigneeId: w.leadId, priority: "urgent" }],
    ["Check the invoices", { status: "review", assigneeId: w.memberId }],
    ["Replace the pump", { status: "todo", assigneeId: w.memberId, projectId: w.projectId }],
    ["Clean the gutters", { status: "done" }],
  ];
  for (const [title, body] of specs) {
    made[title] = await newTask(w.as.admin, {
      title,
      description: `Steps for **${title.toLowerCase()}**:\n\n1. Look\n2. Fix\n\n[Manual](https://example.com/manual) <script>alert(1)</script>`,
      ...body,
    });
  }
});
afterAll(() => box.close());

function cookieFor(cookie: string) {
  const at = cookie.indexOf("=");
  return { name: cookie.slice(0, at), value: cookie.slice(at + 1), url: box.url };
}

async function signedIn(cookie: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies([cookieFor(cookie)]);
  const page = await context.newPage();
  return { page, errors: collectPageErrors(page), close: () => browser.close() };
}

function statusOf(id: string | undefined) {
  return box.deps.db
    .select({ status: tasks.status })
    .from(tasks)
    .where(eq(tasks.id, id ?? ""))
    .get()?.status;
}

async function columnTitles(page: Page, status: string): Promise<string[]> {
  return page.$$eval(`.board-cards[data-status=${status}] .board-card`, (cards) =>
    cards.map((card) => (card as HTMLElement).dataset.title ?? ""),
  );
}

testWith(
  "chromium",
  "the board moves a card by keyboard and by mouse, saves each move and keeps it after a reload",
  async () => {
    const { page, errors, close } = await signedIn(w.cookies.admin);
    try {
      await page.goto(`${box.url}/tasks/board`);
      expect(await page.textContent("h1")).toBe("Board");
      await saveScreenshot(page, "tasks-board");
      const pump = made["Replace the pump"];

      // Keyboard: focus the card, → moves it to In progress, ↓ below the card there.
      await page.focus(`#card-${pump?.id}`);
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => document.getElementById("board-announcer")?.textContent?.startsWith("Moved"));
      expect(await page.textContent("#board-announcer")).toBe("Moved “Replace the pump” to In progress, 1 of 2.");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`card-${pump?.id}`);
      expect(statusOf(pump?.id)).toBe("in_progress");
      await page.keyboard.press("ArrowDown");
      await page.waitForFunction(() => document.getElementById("board-announcer")?.textContent?.includes("2 of 2"));
      // The arrow buttons do the same for people who prefer them.
      await page.click(`#card-${pump?.id} button[data-move=right]`);
      await page.waitForFunction(() => document.getElementById("board-announcer")?.textContent?.includes("Blocked"));
      expect(statusOf(pump?.id)).toBe("blocked");
      // The button keeps the focus, so the next press moves the card on.
      expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.move)).toBe("right");
      expect(await page.evaluate(() => document.activeElement?.closest(".board-card")?.id)).toBe(`card-${pump?.id}`);
      await saveScreenshot(page, "tasks-board-keyboard-move");

      // Mouse: drag "Paint the fence" from To do onto Done.
      const fence = made["Paint the fence"];
      const from = await page.locator(`#card-${fence?.id} .board-card-meta`).boundingBox();
      const to = await page.locator(".board-cards[data-status=done]").boundingBox();
      if (!from || !to) throw new Error("the board is not laid out");
      await page.mouse.move(from.x + 10, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + 40, from.y + 30, { steps: 5 });
      await page.mouse.move(to.x + to.width / 2, to.y + 10, { steps: 20 });
      await page.mouse.up();
      await page.waitForFunction(() => document.getElementById("board-announcer")?.textContent?.includes("Done"));
      expect(statusOf(fence?.id)).toBe("done");

      await page.reload();
      expect(await columnTitles(page, "blocked")).toEqual(["Replace the pump"]);
      expect((await columnTitles(page, "done")).includes("Paint the fence")).toBe(true);
      expect(await columnTitles(page, "in_progress")).toEqual(["Call the roofer"]);
      const completed = box.deps.db
        .select()
        .from(tasks)
        .where(eq(tasks.id, fence?.id ?? ""))
        .get();
      expect(completed?.completedAt).not.toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  },
  60_000,
);

testWith(
  "chromium",
  "a member sees move controls only on their own cards, and a refused move is put back",
  async () => {
    const own = await newTask(w.as.admin, { title: "Otto's card", assigneeId: w.otherMemberId });
    const { page, errors, close } = await signedIn(w.cookies.otherMember);
    try {
      // Without its live stream, which would take the card's move controls away before the move is tried.
      await page.route("**/tasks/board/stream**", (route) => route.fulfill({ status: 204 }));
      await page.goto(`${box.url}/tasks/board`);
      expect(await page.locator(".board-card[data-movable=true]").count()).toBe(1);
      expect(await page.locator(`#card-${own.id}[data-movable=true]`).count()).toBe(1);
      // Meanwhile a lead gives the card to someone else: Otto's move is refused and undone.
      await w.as.lead("PATCH", `/api/v1/tasks/${own.id}`, { assigneeId: w.memberId });
      await page.focus(`#card-${own.id}`);
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() =>
        document.getElementById("board-announcer")?.textContent?.startsWith("Could not"),
      );
      expect(await columnTitles(page, "todo")).toContain("Otto's card");
      expect(await columnTitles(page, "in_progress")).not.toContain("Otto's card");
      expect(statusOf(own.id)).toBe("todo");
      // The refused request is logged by the browser as a failed load; nothing else may be.
      expect(errors.filter((error) => !error.includes("status of 403"))).toEqual([]);
    } finally {
      await close();
    }
  },
  60_000,
);

testWith(
  "chromium",
  "the list filters without a reload and keeps the URL; the task page adds a comment without a reload",
  async () => {
    const { page, errors, close } = await signedIn(w.cookies.admin);
    try {
      await page.goto(`${box.url}/tasks`);
      await saveScreenshot(page, "tasks-list");
      await page.selectOption(".task-filters select[name=assigneeId]", w.memberId);
      await page.waitForURL(/assigneeId=/);
      await page.waitForFunction(() => {
        const cells = Array.from(document.querySelectorAll("#task-results tbody tr td:nth-child(4)"));
        return cells.length >= 3 && cells.every((cell) => cell.textContent === "Mia Member");
      });
      expect(new URL(page.url()).searchParams.get("assigneeId")).toBe(w.memberId);
      await page.fill(".task-filters input[name=q]", "pump");
      await page.press(".task-filters input[name=q]", "Enter");
      await page.waitForFunction(() => document.querySelectorAll("#task-results tbody tr").length === 1);
      await saveScreenshot(page, "tasks-list-filtered");

      await page.click("#task-results a:has-text('Replace the pump')");
      await page.waitForSelector("h1:has-text('Replace the pump')");
      // The description is rendered, its script tag shown as text and never run.
      expect(await page.locator(".task-description ol li").count()).toBe(2);
      expect(await page.locator(".task-description script").count()).toBe(0);
      expect(await page.getAttribute(".task-description a", "rel")).toBe("noopener noreferrer nofollow");
      const before = page.url();
      await page.fill("textarea[name=body]", "Pump **ordered**, arrives Tuesday.");
      await page.click(".comment-form button[type=submit]");
      await page.waitForSelector(".comment strong:has-text('Ada Admin')");
      expect(await page.locator(".comment .markdown strong").textContent()).toBe("ordered");
      expect(await page.inputValue("textarea[name=body]")).toBe("");
      expect(page.url()).toBe(before);
      await page.selectOption(".task-quick select[name=status]", "review");
      await page.waitForSelector(".task-badges .task-status-review");
      expect(await page.textContent("#task-history")).toMatch(/changed Status from [A-Za-z ]+ to Review/);
      await saveScreenshot(page, "tasks-task-page");

      await page.goto(`${box.url}/tasks/mine`);
      await saveScreenshot(page, "tasks-my-work");
      await page.goto(`${box.url}/tasks/new`);
      await page.fill("input[name=title]", "");
      await page.fill("input[name=labels]", "a, b");
      await page.click("#task-form button[type=submit]");
      await page.waitForSelector("input[name=title][aria-invalid=true]");
      expect(await page.inputValue("input[name=labels]")).toBe("a, b");
      await saveScreenshot(page, "tasks-new-refused");
      // The refused form is logged by the browser as a failed load; nothing else may be.
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
    } finally {
      await close();
    }
  },
  60_000,
);
