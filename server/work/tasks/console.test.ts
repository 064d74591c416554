import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { TaskJson } from "./service.ts";
import { createTaskWorld, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
});
afterAll(() => box.close());

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const response = await box.fetch(path, { headers: { Cookie: cookie } });
  return { status: response.status, html: await response.text() };
}

function stored(id: string) {
  return box.deps.db.select().from(tasks).where(eq(tasks.id, id)).get();
}

describe("write controls show only to people who may use them", () => {
  test("a viewer reads the list and a task without any write control", async () => {
    const task = await newTask(w.as.admin, { title: "Read only" });
    const list = await page("/tasks", w.cookies.viewer);
    expect(list.status).toBe(200);
    expect(list.html).toContain("Read only");
    expect(list.html).not.toContain("New task");
    const detail = await page(`/tasks/${task.id}`, w.cookies.viewer);
    expect(detail.status).toBe(200);
    for (const control of ["/edit", "/delete", "comment-form", "task-quick"])
      expect(detail.html).not.toContain(control);
    expect((await page("/tasks/new", w.cookies.viewer)).status).toBe(403);
  });

  test("a member gets the controls on their own task but not on another's; never Delete", async () => {
    const own = await newTask(w.as.admin, { title: "Mine", assigneeId: w.memberId });
    const other = await newTask(w.as.admin, { title: "Otto's", assigneeId: w.otherMemberId });
    const mine = await page(`/tasks/${own.id}`, w.cookies.member);
    for (const control of ["/edit", "comment-form", "task-quick"]) expect(mine.html).toContain(control);
    expect(mine.html).not.toContain("/delete");
    // The assignee choices of a member: nobody, or themselves.
    expect(mine.html).not.toContain(`value="${w.otherMemberId}"`);
    const theirs = await page(`/tasks/${other.id}`, w.cookies.member);
    for (const control of ["/edit", "comment-form", "task-quick"]) expect(theirs.html).not.toContain(control);
    expect((await page(`/tasks/${other.id}/edit`, w.cookies.member)).status).toBe(403);
  });

  test("another organisation's task is 404 on every console route", async () => {
    const task = await newTask(w.as.globex, { title: "Globex only" });
    expect((await page(`/tasks/${task.id}`, w.cookies.admin)).status).toBe(404);
    expect((await page(`/tasks/${task.id}/edit`, w.cookies.admin)).status).toBe(404);
    for (const [path, fields] of [
      [`/tasks/${task.id}`, { title: "x" }],
      [`/tasks/${task.id}/move`, { status: "done", position: "0" }],
      [`/tasks/${task.id}/status`, { status: "done" }],
      [`/tasks/${task.id}/assignee`, { assigneeId: "" }],
      [`/tasks/${task.id}/comments`, { body: "hi" }],
      [`/tasks/${task.id}/delete`, {}],
    ] as const) {
      const response = await postForm(box, w.cookies.admin, path, fields);
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect(stored(task.id)?.title).toBe("Globex only");
  });
});

describe("the comment flow", () => {
  test("a comment posted with htmx comes back in the comments section, rendered, with an empty form", async () => {
    const task = await newTask(w.as.admin, { title: "Talk", assigneeId: w.memberId });
    const response = await postForm(box, w.cookies.member, `/tasks/${task.id}/comments`, {
      body: "Parts **ordered**\r\n<script>alert(1)</script>",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<section id="task-comments"');
    expect(html).toContain("Parts <strong>ordered</strong>");
    expect(html).not.toContain("<script>");
    expect(html).toContain("Mia Member");
    expect(html).toMatch(/<textarea[^>]*><\/textarea>/);
    const row = stored(task.id);
    expect(row?.lastActivityAt.getTime()).toBeGreaterThanOrEqual(new Date(task.createdAt).getTime());
  });

  test("an empty comment is refused with 422 and the section keeps the form", async () => {
    const task = await newTask(w.as.admin, { title: "Quiet" });
    const response = await postForm(box, w.cookies.admin, `/tasks/${task.id}/comments`, { body: "   " });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain("Write a comment.");
  });

  test("a member cannot comment on a task that is not theirs (403)", async () => {
    const task = await newTask(w.as.admin, { title: "Not Mia's" });
    expect((await postForm(box, w.cookies.member, `/tasks/${task.id}/comments`, { body: "hi" })).status).toBe(403);
  });
});

describe("forms", () => {
  test("a refused new task comes back with what was typed (422); a good one opens the task", async () => {
    const refused = await postForm(box, w.cookies.admin, "/tasks", {
      title: "",
      description: "Line one\r\nLine two",
      labels: "Roof, urgent",
      estimateMinutes: "lots",
      dueAt: "2030-01-15",
      priority: "high",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('value="Roof, urgent"');
    expect(html).toContain('value="lots"');
    expect(html).toContain('value="2030-01-15"');
    expect(html).toContain("Enter a title.");
    expect(html).toContain("Use a whole number of minutes.");
    expect(html).toMatch(/<option value="high" selected/);

    const created = await postForm(box, w.cookies.admin, "/tasks", {
      title: "Fix the roof",
      description: "Line one\r\nLine two",
      labels: "Roof, urgent",
      estimateMinutes: "120",
      dueAt: "2030-01-15",
      priority: "high",
      status: "todo",
      projectId: w.projectId,
      assigneeId: w.memberId,
    });
    const location = created.headers.get("HX-Redirect") ?? "";
    expect(location).toMatch(/^\/tasks\/tsk_/);
    const row = stored(location.split("/").at(-1) ?? "");
    expect(row).toMatchObject({
      title: "Fix the roof",
      description: "Line one\nLine two",
      labels: ["roof", "urgent"],
      estimateMinutes: 120,
      projectId: w.projectId,
      assigneeId: w.memberId,
      reporterId: w.adminId,
    });
    expect(row?.dueAt?.toISOString()).toBe("2030-01-15T23:59:59.999Z");
  });

  test("a member cannot give a new task to someone else: the form says so", async () => {
    const response = await postForm(box, w.cookies.member, "/tasks", {
      title: "For Otto",
      status: "todo",
      priority: "medium",
      assigneeId: w.otherMemberId,
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("You may only assign tasks to yourself");
  });

  test("an edit over someone else's change is refused (412) and keeps the typed text", async () => {
    const task = await newTask(w.as.admin, { title: "Draft" });
    const form = await page(`/tasks/${task.id}/edit`, w.cookies.admin);
    const etagOf = (html: string) => `"${/name="_etag" value="&quot;([^&]+)&quot;"/.exec(html)?.[1] ?? ""}"`;
    const etag = etagOf(form.html);
    expect(etag).not.toBe('""');
    await w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, { title: "Lead's title" });
    const fields = { title: "My title", status: "todo", priority: "medium", _etag: etag };
    const stale = await postForm(box, w.cookies.admin, `/tasks/${task.id}`, fields);
    expect(stale.status).toBe(412);
    const html = await stale.text();
    expect(html).toContain("Someone changed this task while you were editing.");
    expect(html).toContain('value="My title"');
    expect(stored(task.id)?.title).toBe("Lead's title");
    const saved = await postForm(box, w.cookies.admin, `/tasks/${task.id}`, { ...fields, _etag: etagOf(html) });
    expect(saved.headers.get("HX-Redirect")).toBe(`/tasks/${task.id}`);
    expect(stored(task.id)?.title).toBe("My title");
  });
});

describe("quick changes, board moves and delete", () => {
  test("the status form changes the status and the page shows it with its history", async () => {
    const task = await newTask(w.as.admin, { title: "Quick", assigneeId: w.memberId });
    const response = await postForm(box, w.cookies.member, `/tasks/${task.id}/status`, { status: "done" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Status changed.");
    expect(html).toContain("changed Status from To do to Done");
    expect(stored(task.id)?.completedAt).not.toBeNull();
    const unassigned = await postForm(box, w.cookies.member, `/tasks/${task.id}/assignee`, { assigneeId: "" });
    expect(unassigned.status).toBe(200);
    expect(stored(task.id)?.assigneeId).toBeNull();
  });

  test("a move saves the column and the place between its neighbours", async () => {
    await newTask(w.as.admin, { title: "Column A", status: "review" });
    await newTask(w.as.admin, { title: "Column B", status: "review" });
    const moved = await newTask(w.as.admin, { title: "Mover", status: "todo" });
    // The review column shows B then A (newest on top); the mover goes between them.
    const response = await postForm(box, w.cookies.admin, `/tasks/${moved.id}/move`, {
      status: "review",
      position: "1",
    });
    expect(response.status).toBe(204);
    const board = await page("/tasks/board", w.cookies.admin);
    const order = [...board.html.matchAll(/data-title="(Column A|Column B|Mover)"/g)].map((match) => match[1]);
    expect(order).toEqual(["Column B", "Mover", "Column A"]);
    expect(stored(moved.id)?.status).toBe("review");
    // Only a real change counts as activity: a reorder inside the column leaves lastActivityAt as it was.
    const before = stored(moved.id)?.lastActivityAt.getTime();
    await postForm(box, w.cookies.admin, `/tasks/${moved.id}/move`, { status: "review", position: "0" });
    expect(stored(moved.id)?.lastActivityAt.getTime()).toBe(before ?? 0);
    expect((await postForm(box, w.cookies.admin, `/tasks/${moved.id}/move`, { status: "later" })).status).toBe(422);
  });

  test("a member cannot move another's card (403); a lead deletes from the task page", async () => {
    const task: TaskJson = await newTask(w.as.admin, { title: "Lead's to delete" });
    const refused = await postForm(box, w.cookies.member, `/tasks/${task.id}/move`, { status: "done", position: "0" });
    expect(refused.status).toBe(403);
    expect((await postForm(box, w.cookies.member, `/tasks/${task.id}/delete`, {})).status).toBe(403);
    const deleted = await postForm(box, w.cookies.lead, `/tasks/${task.id}/delete`, {});
    expect(deleted.headers.get("HX-Redirect")).toBe("/tasks");
    expect(stored(task.id)).toBeUndefined();
  });
});

describe("list and My work", () => {
  test("the list filters by the same parameters as the API and pages with a cursor", async () => {
    for (let index = 0; index < 26; index++) await newTask(w.as.lead, { title: `Paged ${index}`, labels: ["paged"] });
    const first = await page("/tasks?label=paged", w.cookies.admin);
    expect(first.html).toContain("Paged 25");
    expect(first.html).not.toContain("Paged 0<");
    const next = /href="(\/tasks\?label=paged&amp;cursor=[^"]+)"/.exec(first.html)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(next).not.toBe("");
    const second = await page(next, w.cookies.admin);
    expect(second.html).toContain("Paged 0<");
    expect(second.html).not.toContain("Paged 1<");
    expect(second.html).toContain("← Newest");
    const filtered = await page("/tasks?label=paged&q=paged%2012", w.cookies.admin);
    expect(filtered.html).toContain("Paged 12");
    expect(filtered.html).not.toContain("Paged 11");
    const empty = await page("/tasks?label=nothing-has-this", w.cookies.admin);
    expect(empty.html).toContain("No tasks match these filters.");
    const bad = await page("/tasks?status=sideways", w.cookies.admin);
    expect(bad.status).toBe(422);
  });

  test("My work groups the caller's open tasks by when they are due", async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();
    await newTask(w.as.admin, { title: "Late work", assigneeId: w.otherMemberId, dueAt: day(-3) });
    await newTask(w.as.admin, { title: "Far work", assigneeId: w.otherMemberId, dueAt: day(40) });
    await newTask(w.as.admin, { title: "Whenever work", assigneeId: w.otherMemberId });
    await newTask(w.as.admin, { title: "Finished work", assigneeId: w.otherMemberId, status: "done" });
    const { html } = await page("/tasks/mine", w.cookies.otherMember);
    const section = (name: string) => html.split(`aria-labelledby="my-work-${name}"`)[1]?.split("</section>")[0] ?? "";
    expect(section("overdue")).toContain("Late work");
    expect(section("later")).toContain("Far work");
    expect(section("none")).toContain("Whenever work");
    expect(html).not.toContain("Finished work");
  });
});

describe("the task list page kept until the next write", () => {
  test("a change made after the page was drawn is on the next view, and each person's 'mine' is their own", async () => {
    const task = await newTask(w.as.admin, { title: "Drawn once", labels: ["kept-view"], assigneeId: w.adminId });
    await newTask(w.as.admin, { title: "Someone else's", labels: ["kept-view"], assigneeId: w.memberId });
    const path = "/tasks?label=kept-view&assigneeId=me";
    expect((await page(path, w.cookies.admin)).html).toContain("Drawn once");
    expect((await page(path, w.cookies.admin)).html).not.toContain("Someone else&#39;s");
    expect((await page(path, w.cookies.member)).html).toContain("Someone else&#39;s");
    expect((await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Drawn twice" })).status).toBe(200);
    const after = (await page(path, w.cookies.admin)).html;
    expect(after).toContain("Drawn twice");
    expect(after).not.toContain("Drawn once");
  });
});
