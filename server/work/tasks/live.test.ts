import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { latestEventSeq, listEventsAfter } from "../../events/read.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { contextFor } from "../approvals/test-kit.ts";
import { pulseMessage } from "../pulse/live.tsx";
import { boardMessage, boardStatusesToRefresh } from "./live-board.tsx";
import { taskListMessage } from "./live-list.tsx";
import { taskPageMessage } from "./live-task.tsx";
import { adminTaskContext, createTaskWorld, insertProject, newTask, type TaskWorld } from "./test-kit.ts";
import { moveTask } from "./update.ts";

let box: TestApp;
let w: TaskWorld;
let viewer: ServiceContext;
let member: ServiceContext;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  viewer = contextFor(box, w.viewerId, w.orgId);
  member = contextFor(box, w.memberId, w.orgId);
});
afterAll(() => box.close());

/** The public id of an event of the world's organisation. */
const idOf = (seq: number | undefined) => eventIdsOf(box.deps.keyring, w.orgId).idOf(seq ?? -1);

/** Runs `change` and answers the events it recorded, oldest first. */
async function eventsOf(change: () => Promise<unknown>) {
  const mark = latestEventSeq(box.deps.db, w.orgId);
  await change();
  return listEventsAfter(box.deps.db, { orgId: w.orgId, permissions: viewer.permissions }, mark);
}

async function expectOk(response: Promise<Response>) {
  const answer = await response;
  expect(answer.status).toBeLessThan(300);
  await answer.body?.cancel();
}

describe("the board's messages", () => {
  test("a move refreshes the column it left and the one it entered, with the card in its new place", async () => {
    const task = await newTask(w.as.admin, { title: "Fix the gate", status: "todo" });
    const events = await eventsOf(() => expectOk(w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, { status: "done" })));
    expect([...boardStatusesToRefresh(viewer, events)].sort()).toEqual(["done", "todo"]);
    const message = boardMessage(viewer, events);
    expect(message).toStartWith(`id: ${idOf(events.at(-1)?.seq)}\n`);
    expect(message).toContain('<hx-partial hx-target="#board-column-todo" hx-swap="outerHTML settle:0">');
    expect(message).toMatch(/hx-target="#board-column-done"[\s\S]*id="card-[^"]+"[\s\S]*Fix the gate/);
    expect(message).not.toContain("#board-column-review");
    // Columns come in board order, as the page draws them.
    expect(message.indexOf("#board-column-todo")).toBeLessThan(message.indexOf("#board-column-done"));
  });

  test("a changed card refreshes its own column only; a new task its column; a deletion every column", async () => {
    const task = await newTask(w.as.admin, { title: "Order paint", status: "review" });
    const renamed = await eventsOf(() =>
      expectOk(w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Order more paint" })),
    );
    expect([...boardStatusesToRefresh(viewer, renamed)]).toEqual(["review"]);
    const created = await eventsOf(() => newTask(w.as.admin, { title: "Sweep", status: "blocked" }));
    expect([...boardStatusesToRefresh(viewer, created)]).toEqual(["blocked"]);
    const deleted = await eventsOf(() => expectOk(w.as.admin("DELETE", `/api/v1/tasks/${task.id}`)));
    expect(boardStatusesToRefresh(viewer, deleted).size).toBe(5);
  });

  test("a comment changes no card: the message only moves the id on", async () => {
    const task = await newTask(w.as.admin, { title: "Quiet card" });
    const events = await eventsOf(() =>
      expectOk(w.as.admin("POST", `/api/v1/tasks/${task.id}/comments`, { body: "hi" })),
    );
    expect(boardMessage(viewer, events)).toBe(`id: ${idOf(events.at(-1)?.seq)}\n\n`);
  });

  test("a reorder inside a column redraws that column in its new order, and is no news on the Pulse", async () => {
    const projectId = insertProject(box, w.orgId, "ORD");
    const first = await newTask(w.as.admin, { title: "First card", status: "review", projectId });
    await newTask(w.as.admin, { title: "Second card", status: "review", projectId });
    const events = await eventsOf(async () =>
      moveTask(adminTaskContext(box, w), first.id, { status: "review", position: 0, projectId }),
    );
    expect(events.map((event) => event.type)).toEqual(["task.reordered"]);
    expect([...boardStatusesToRefresh(viewer, events, projectId)]).toEqual(["review"]);
    const message = boardMessage(viewer, events, projectId);
    expect(message).toContain('hx-target="#board-column-review"');
    expect(message.indexOf("First card")).toBeLessThan(message.indexOf("Second card"));
    expect(boardStatusesToRefresh(viewer, events, w.projectId).size).toBe(0);
    // The Pulse's feed leaves reorders out; the message still moves the resume point on.
    expect(pulseMessage(viewer, events)).toBe(`id: ${idOf(events.at(-1)?.seq)}\n\n`);
  });

  test("a project's board ignores other projects' tasks, but not a task that leaves it", async () => {
    const elsewhere = await eventsOf(() => newTask(w.as.admin, { title: "No project", status: "todo" }));
    expect(boardStatusesToRefresh(viewer, elsewhere, w.projectId).size).toBe(0);
    const inside = await newTask(w.as.admin, { title: "In WEB", status: "in_progress", projectId: w.projectId });
    const left = await eventsOf(() => expectOk(w.as.admin("PATCH", `/api/v1/tasks/${inside.id}`, { projectId: null })));
    expect([...boardStatusesToRefresh(viewer, left, w.projectId)]).toEqual(["in_progress"]);
    expect(boardMessage(viewer, left, w.projectId)).not.toContain("In WEB");
  });

  test("cards come with move controls only for people who may move them", async () => {
    const task = await newTask(w.as.admin, { title: "Mia's card", assigneeId: w.memberId, status: "blocked" });
    const events = await eventsOf(() =>
      expectOk(w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { priority: "high" })),
    );
    expect(boardMessage(member, events)).toContain(
      `id="card-${task.id}" data-id="${task.id}" data-title="Mia&#39;s card" data-movable="true"`,
    );
    expect(boardMessage(viewer, events)).toContain(`data-title="Mia&#39;s card" data-movable="false"`);
  });
});

describe("the task page's messages", () => {
  test("a comment redraws the comment list (never the form) and the side, for that task only", async () => {
    const task = await newTask(w.as.admin, { title: "Boiler", assigneeId: w.memberId });
    const other = await newTask(w.as.admin, { title: "Other" });
    const events = await eventsOf(() =>
      expectOk(w.as.lead("POST", `/api/v1/tasks/${task.id}/comments`, { body: "Parts **arrived**" })),
    );
    const message = taskPageMessage(member, "csrf-token", task.id, events);
    expect(message).toContain(
      '<hx-partial hx-target="#task-comment-list" hx-swap="outerHTML"><div id="task-comment-list">',
    );
    expect(message).toContain("<strong>arrived</strong>");
    expect(message).toContain("Lee Lead");
    expect(message).not.toContain("comment-form");
    expect(message).toContain('hx-target="#task-side"');
    expect(message).not.toContain("#task-history");
    expect(taskPageMessage(member, "csrf-token", other.id, events)).toBe(`id: ${idOf(events.at(-1)?.seq)}\n\n`);
  });

  test("a change redraws the heading, description, history and side", async () => {
    const task = await newTask(w.as.admin, { title: "Roof", assigneeId: w.memberId });
    const events = await eventsOf(() =>
      expectOk(w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, { status: "review", title: "Roof tiles" })),
    );
    const message = taskPageMessage(member, "csrf-token", task.id, events);
    expect(message).toMatch(/hx-target="#task-heading"[\s\S]*<h1>Roof tiles<\/h1>/);
    expect(message).toContain('hx-target="#task-description"');
    expect(message).toMatch(/hx-target="#task-history"[\s\S]*changed Status from To do to Review/);
    // Mia is the assignee: her quick changes come back, with the form's CSRF token.
    expect(message).toMatch(/hx-target="#task-side"[\s\S]*id="task-status-choice"[\s\S]*value="csrf-token"/);
    expect(taskPageMessage(viewer, null, task.id, events)).not.toContain("task-status-choice");
  });

  test("a deletion says so at the top of the page", async () => {
    const task = await newTask(w.as.admin, { title: "Gone soon" });
    const events = await eventsOf(() => expectOk(w.as.admin("DELETE", `/api/v1/tasks/${task.id}`)));
    const message = taskPageMessage(viewer, null, task.id, events);
    expect(message).toContain('hx-target="#task-live-notice"');
    expect(message).toContain("This task was deleted.");
  });
});

describe("the list's messages", () => {
  test("count the tasks changed since the list was drawn, once each, comments not counted", async () => {
    const since = latestEventSeq(box.deps.db, w.orgId);
    const first = await newTask(w.as.admin, { title: "One" });
    await expectOk(w.as.admin("PATCH", `/api/v1/tasks/${first.id}`, { status: "done" }));
    const events = await eventsOf(() => newTask(w.as.admin, { title: "Two" }));
    const message = taskListMessage(viewer, events, since, "/tasks?status=done&q=x");
    expect(message).toContain('<hx-partial hx-target="#task-list-changes" hx-swap="outerHTML">');
    expect(message).toContain("2 tasks changed since this list was loaded.");
    expect(message).toContain('hx-get="/tasks?status=done&amp;q=x"');
    const commented = await eventsOf(() =>
      expectOk(w.as.admin("POST", `/api/v1/tasks/${first.id}/comments`, { body: "ok" })),
    );
    expect(taskListMessage(viewer, commented, since, "/tasks")).toBe(`id: ${idOf(commented.at(-1)?.seq)}\n\n`);
  });

  test("stop counting at 99", async () => {
    const since = latestEventSeq(box.deps.db, w.orgId);
    const events = await eventsOf(async () => {
      for (let n = 0; n < 100; n++) await newTask(w.as.admin, { title: `Bulk ${n}` });
    });
    expect(taskListMessage(viewer, events, since, "/tasks")).toContain("More than 99 tasks changed");
  });
});
