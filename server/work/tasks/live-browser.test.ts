import { afterAll, beforeAll, expect } from "bun:test";
import type { Page } from "playwright-core";
import { untilOpenStreams } from "../../events/sse-test-kit.ts";
import { openEventStreamCount } from "../../events/stream.ts";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { testWith } from "../../testing/tools.ts";
import type { TaskJson } from "./service.ts";
import { createTaskWorld, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
let browser: TestBrowser;
const made: Record<string, TaskJson> = {};

beforeAll(async () => {
  box = await startTestApp();
  w = await createTaskWorld(box);
  const specs: [string, Record<string, unknown>][] = [
    ["Order the boiler parts", { status: "todo", priority: "high" }],
    ["Paint the fence", { status: "todo", assigneeId: w.memberId }],
    ["Call the roofer", { status: "in_progress", assigneeId: w.leadId }],
    ["Check the invoices", { status: "review" }],
  ];
  for (const [title, body] of specs) made[title] = await newTask(w.as.admin, { title, ...body });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  box.close();
});

/** A's page (Ada, the admin), in a browser context of its own; B acts through the JSON API. */
async function pageOfAda(): Promise<{ page: Page; errors: string[]; loads: () => number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const at = w.cookies.admin.indexOf("=");
  await context.addCookies([
    { name: w.cookies.admin.slice(0, at), value: w.cookies.admin.slice(at + 1), url: box.url },
  ]);
  const page = await context.newPage();
  let loads = 0;
  page.on("load", () => loads++);
  return { page, errors: collectPageErrors(page), loads: () => loads };
}

const titlesIn = (page: Page, status: string) =>
  page.$$eval(`.board-cards[data-status=${status}] .board-card`, (cards) =>
    cards.map((card) => (card as HTMLElement).dataset.title ?? ""),
  );

/**
 * Waits until SortableJS has put the dragged card in a column, as a person sees it land before
 * letting go: in its pointer-event mode SortableJS places the card on a 50 ms timer, so a
 * release sooner drops it wherever the pointer was at the last tick (a column on the way).
 */
async function untilCardIn(page: Page, id: string | undefined, status: string) {
  await page.waitForFunction(
    ([cardId, column]) => document.querySelector(`.board-cards[data-status=${column}] #card-${cardId}`) !== null,
    [id, status] as const,
  );
}

async function patch(id: string | undefined, body: Record<string, unknown>) {
  const response = await w.as.lead("PATCH", `/api/v1/tasks/${id}`, body);
  expect(response.status).toBe(200);
}

testWith(
  "chromium",
  "B's moves reach A's open board without a reload, after A's drag ends, and A keeps the focus",
  async () => {
    const { page, errors, loads } = await pageOfAda();
    const before = openEventStreamCount();
    await page.goto(`${box.url}/tasks/board`);
    await untilOpenStreams(before + 1);
    const roofer = made["Call the roofer"];
    const boiler = made["Order the boiler parts"];

    // B moves a card through the API: it shows up in its new column on A's board.
    await patch(roofer?.id, { status: "blocked" });
    await page.waitForFunction(
      (id) => document.querySelector(`.board-cards[data-status=blocked] #card-${id}`) !== null,
      roofer?.id,
    );
    expect(await titlesIn(page, "in_progress")).toEqual([]);
    expect(await page.textContent("#board-column-blocked .board-count")).toBe("1");

    // A holds the focus on a card that B moves: the focus follows the card to its new column.
    await page.focus(`#card-${boiler?.id}`);
    await patch(boiler?.id, { status: "review" });
    await page.waitForFunction(
      (id) => document.querySelector(`.board-cards[data-status=review] #card-${id}`) !== null,
      boiler?.id,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`card-${boiler?.id}`);
    // A's keyboard works on the swapped columns: → moves the card on to Done.
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.getElementById("board-announcer")?.textContent?.startsWith("Moved"));
    expect(await page.textContent("#board-announcer")).toContain("to Done");

    // A starts dragging a card; B's move meanwhile waits until A lets go.
    await page.evaluate(() => {
      const held = window as unknown as { held: number };
      held.held = 0;
      document.getElementById("board-live")?.addEventListener("htmx:sse:before:message", (event) => {
        if (event.defaultPrevented) held.held++;
      });
    });
    const fence = made["Paint the fence"];
    const invoices = made["Check the invoices"];
    const from = await page.locator(`#card-${fence?.id} .board-card-meta`).boundingBox();
    const to = await page.locator(".board-cards[data-status=in_progress]").boundingBox();
    if (!from || !to) throw new Error("the board is not laid out");
    await page.mouse.move(from.x + 10, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 30, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 10, { steps: 20 });
    await untilCardIn(page, fence?.id, "in_progress");
    await patch(invoices?.id, { status: "todo" });
    // The message arrived and was held back: the columns stay as they are under the pointer.
    await page.waitForFunction(() => (window as unknown as { held: number }).held > 0);
    expect(await titlesIn(page, "todo")).not.toContain("Check the invoices");
    await saveScreenshot(page, "tasks-board-live-drag");
    await page.mouse.up();
    // The drag was saved, and the board drawn afresh shows both moves (SortableJS on the new lists).
    await page.waitForFunction(
      (id) => document.querySelector(`.board-cards[data-status=todo] #card-${id}`) !== null,
      invoices?.id,
    );
    await page.waitForFunction(
      (id) => document.querySelector(`.board-cards[data-status=in_progress] #card-${id}`) !== null,
      fence?.id,
    );
    expect(await titlesIn(page, "in_progress")).toEqual(["Paint the fence"]);
    // Dragging still works on the swapped columns.
    // Another redraw may still land (the stream's next message): wait until both are laid out.
    const card = await laidOut(page, `#card-${fence?.id} .board-card-meta`);
    const done = await laidOut(page, ".board-cards[data-status=done]");
    await page.mouse.move(card.x + 10, card.y + card.height / 2);
    await page.mouse.down();
    await page.mouse.move(card.x + 40, card.y + 30, { steps: 5 });
    await page.mouse.move(done.x + done.width / 2, done.y + 10, { steps: 20 });
    await untilCardIn(page, fence?.id, "done");
    await page.mouse.up();
    // This move's own announcement: the first drag's ("… “Paint the fence” to In progress") is still there.
    await page.waitForFunction(() => {
      const text = document.getElementById("board-announcer")?.textContent ?? "";
      return text.includes("Paint the fence") && text.includes("to Done");
    });
    expect(await titlesIn(page, "done")).toContain("Paint the fence");
    await Bun.sleep(300);
    await saveScreenshot(page, "tasks-board-live");
    expect(loads()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  },
  60_000,
);

testWith(
  "chromium",
  "B's comment appears on A's task page without a reload, and A's half-written comment stays",
  async () => {
    const task = await newTask(w.as.admin, { title: "Service the pump", assigneeId: w.memberId });
    const { page, errors, loads } = await pageOfAda();
    const before = openEventStreamCount();
    await page.goto(`${box.url}/tasks/${task.id}`);
    await untilOpenStreams(before + 1);
    await page.fill("textarea[name=body]", "Draft: I will call the");
    const comment = await w.as.lead("POST", `/api/v1/tasks/${task.id}/comments`, { body: "Seal kit **ordered**." });
    expect(comment.status).toBe(201);
    await page.waitForSelector(".comment strong:has-text('Lee Lead')");
    expect(await page.locator(".comment .markdown strong").textContent()).toBe("ordered");
    expect(await page.textContent("#comments-heading")).toContain("(1)");
    expect(await page.inputValue("textarea[name=body]")).toBe("Draft: I will call the");
    // A field change by B shows in the heading, the side and the history.
    await patch(task.id, { status: "blocked", priority: "urgent" });
    await page.waitForSelector("#task-heading .task-status-blocked");
    expect(await page.textContent("#task-history")).toMatch(/Lee Lead changed Status from To do to Blocked/);
    expect(await page.inputValue("#task-status-choice")).toBe("blocked");
    await saveScreenshot(page, "tasks-task-page-live");
    expect(loads()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  },
  60_000,
);

testWith(
  "chromium",
  "A's list says how many tasks changed instead of moving its rows, and refreshes on request",
  async () => {
    const { page, errors, loads } = await pageOfAda();
    const before = openEventStreamCount();
    await page.goto(`${box.url}/tasks`);
    await untilOpenStreams(before + 1);
    const rows = await page.locator("#task-results tbody tr").count();
    await newTask(w.as.lead, { title: "Fresh from B" });
    await page.waitForSelector("#task-list-changes:has-text('1 task changed since this list was loaded.')");
    expect(await page.locator("#task-results tbody tr").count()).toBe(rows);
    await saveScreenshot(page, "tasks-list-live");
    await page.click("#task-list-changes a");
    await page.waitForSelector("#task-results td a:has-text('Fresh from B')");
    expect(await page.textContent("#task-list-changes")).toBe("");
    // The refreshed list counts afresh.
    await newTask(w.as.lead, { title: "Another from B" });
    await page.waitForSelector("#task-list-changes:has-text('1 task changed')");
    expect(loads()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  },
  60_000,
);

testWith(
  "chromium",
  "A's My work gains a task B gives A and loses it when B takes it back, without a reload",
  async () => {
    const { page, errors, loads } = await pageOfAda();
    const before = openEventStreamCount();
    await page.goto(`${box.url}/tasks/mine`);
    await untilOpenStreams(before + 1);
    const given = await newTask(w.as.lead, {
      title: "Renew the van insurance",
      assigneeId: w.adminId,
      dueAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await page.waitForSelector(".my-work-overdue td a:has-text('Renew the van insurance')");
    await saveScreenshot(page, "tasks-my-work-live");
    await patch(given.id, { assigneeId: w.memberId });
    await page.waitForSelector("td a:has-text('Renew the van insurance')", { state: "detached" });
    expect(loads()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  },
  60_000,
);

testWith(
  "chromium",
  "A's board opens its live stream even when htmx's SSE extension arrives after htmx itself",
  async () => {
    const { page, errors } = await pageOfAda();
    // A slow or cold connection: the extension's script comes in well after htmx's.
    await page.route("**/static/vendor/hx-sse.min.*", async (route) => {
      await Bun.sleep(400);
      await route.continue();
    });
    const before = openEventStreamCount();
    await page.goto(`${box.url}/tasks/board`);
    await untilOpenStreams(before + 1);
    const task = await newTask(w.as.lead, { title: "Sweep the yard" });
    await page.waitForSelector(`.board-cards[data-status=todo] #card-${task.id}`);
    expect(errors).toEqual([]);
    await page.context().close();
  },
  60_000,
);

/** The box of what `selector` finds once it is on the page and laid out (a swap may replace it meanwhile). */
async function laidOut(page: Page, selector: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const box = await page.locator(selector).boundingBox();
    if (box) return box;
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector} is not laid out`);
}
