import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { ChangeJson } from "./changes.ts";
import type { CommentJson } from "./comments.ts";
import type { TaskJson } from "./service.ts";
import { createTaskWorld, lastEventOf, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
});
afterAll(() => box.close());

async function historyOf(taskId: string): Promise<ChangeJson[]> {
  const response = await w.as.admin("GET", `/api/v1/tasks/${taskId}/history`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: ChangeJson[] }).data;
}

async function read(taskId: string): Promise<TaskJson> {
  return (await (await w.as.admin("GET", `/api/v1/tasks/${taskId}`)).json()) as TaskJson;
}

describe("POST /api/v1/tasks", () => {
  test("answers 201 with the task, its ETag and Location; the caller is the reporter", async () => {
    const response = await w.as.admin("POST", "/api/v1/tasks", {
      title: "  Fix the boiler ",
      description: "It *knocks*.",
      priority: "high",
      projectId: w.projectId,
      assigneeId: w.memberId,
      dueAt: "2030-03-31",
      estimateMinutes: 90,
      labels: [" Plumbing", "plumbing", "URGENT ", ""],
    });
    expect(response.status).toBe(201);
    const task = (await response.json()) as TaskJson;
    expect(task.id).toMatch(/^tsk_/);
    expect(response.headers.get("ETag")).toMatch(/^".+"$/);
    expect(response.headers.get("Location")).toBe(`/api/v1/tasks/${task.id}`);
    expect(task).toMatchObject({
      title: "Fix the boiler",
      description: "It *knocks*.",
      status: "todo",
      priority: "high",
      projectId: w.projectId,
      assigneeId: w.memberId,
      reporterId: w.adminId,
      dueAt: "2030-03-31T23:59:59.999Z",
      estimateMinutes: 90,
      labels: ["plumbing", "urgent"],
      completedAt: null,
    });
    expect(task.lastActivityAt).toBe(task.createdAt);
    expect(task.updatedAt).toBe(task.createdAt);
    expect("descriptionHtml" in task).toBe(false);

    const history = await historyOf(task.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ field: "created", actorId: w.adminId, from: null, at: task.createdAt });

    const event = lastEventOf(box, task.id);
    expect(event).toMatchObject({ type: "task.created", subjectType: "task", actorId: w.adminId });
    expect(event?.audience.sort()).toEqual([w.adminId, w.memberId].sort());
    expect(event?.summary).toBe("Ada Admin created “Fix the boiler”");
  });

  test("a task created as done is completed at once", async () => {
    const task = await newTask(w.as.admin, { title: "Already done", status: "done" });
    expect(task.completedAt).toBe(task.createdAt);
  });

  test("refuses another organisation's project, an archived project and a stranger as assignee (422)", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "x", projectId: w.globex.projectId }, "projectId"],
      [{ title: "x", projectId: w.archivedProjectId }, "projectId"],
      [{ title: "x", assigneeId: w.globex.adminId }, "assigneeId"],
      [{ title: "x", labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, "labels"],
      [{ title: "" }, "title"],
      [{ title: "x", status: "started" }, "status"],
      [{ title: "x", dueAt: "2030-02-30" }, "dueAt"],
    ];
    for (const [body, path] of cases) {
      const response = await w.as.admin("POST", "/api/v1/tasks", body);
      expect([path, response.status]).toEqual([path, 422]);
      expect((await errorOf(response)).details?.map((detail) => detail.path)).toContain(path);
    }
  });

  test("twenty labels are allowed after deduplication", async () => {
    const labels = [...Array.from({ length: 20 }, (_, i) => `l${i}`), "L0", "l1 "];
    const task = await newTask(w.as.admin, { title: "Many labels", labels });
    expect(task.labels).toHaveLength(20);
  });
});

describe("who may do what", () => {
  test("a viewer reads but cannot create, change or comment (403)", async () => {
    const task = await newTask(w.as.admin, { title: "Viewer test" });
    expect((await w.as.viewer("GET", `/api/v1/tasks/${task.id}`)).status).toBe(200);
    expect((await w.as.viewer("POST", "/api/v1/tasks", { title: "no" })).status).toBe(403);
    expect((await w.as.viewer("PATCH", `/api/v1/tasks/${task.id}`, { title: "no" })).status).toBe(403);
    expect((await w.as.viewer("POST", `/api/v1/tasks/${task.id}/comments`, { body: "no" })).status).toBe(403);
  });

  test("a member assigns only to themselves or nobody", async () => {
    const toOther = await w.as.member("POST", "/api/v1/tasks", { title: "For Otto", assigneeId: w.otherMemberId });
    expect(toOther.status).toBe(403);
    expect((await errorOf(toOther)).code).toBe("forbidden");
    const mine = await newTask(w.as.member, { title: "For me", assigneeId: w.memberId });
    expect(mine.reporterId).toBe(w.memberId);
    const reassign = await w.as.member("PATCH", `/api/v1/tasks/${mine.id}`, { assigneeId: w.otherMemberId });
    expect(reassign.status).toBe(403);
    const unassign = await w.as.member("PATCH", `/api/v1/tasks/${mine.id}`, { assigneeId: null });
    expect(unassign.status).toBe(200);
  });

  test("a member changes and comments only tasks they reported or are assigned to", async () => {
    const others = await newTask(w.as.admin, { title: "Otto's job", assigneeId: w.otherMemberId });
    expect((await w.as.member("PATCH", `/api/v1/tasks/${others.id}`, { title: "mine now" })).status).toBe(403);
    expect((await w.as.member("POST", `/api/v1/tasks/${others.id}/comments`, { body: "hi" })).status).toBe(403);
    expect((await w.as.otherMember("PATCH", `/api/v1/tasks/${others.id}`, { status: "in_progress" })).status).toBe(200);
    expect((await w.as.otherMember("POST", `/api/v1/tasks/${others.id}/comments`, { body: "on it" })).status).toBe(201);
  });

  test("a team lead assigns to anyone and changes any task; only tasks.manage deletes", async () => {
    const task = await newTask(w.as.member, { title: "Member's task" });
    const assigned = await w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, { assigneeId: w.otherMemberId });
    expect(assigned.status).toBe(200);
    expect((await w.as.member("DELETE", `/api/v1/tasks/${task.id}`)).status).toBe(403);
    expect((await w.as.lead("DELETE", `/api/v1/tasks/${task.id}`)).status).toBe(204);
    expect((await w.as.admin("GET", `/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect(lastEventOf(box, task.id)).toMatchObject({
      type: "task.deleted",
      summary: "Lee Lead deleted “Member's task”",
    });
  });

  test("another organisation's task is 404 on every route", async () => {
    const task = await newTask(w.as.globex, { title: "Globex secret" });
    const calls: [string, string, unknown?][] = [
      ["GET", `/api/v1/tasks/${task.id}`],
      ["PATCH", `/api/v1/tasks/${task.id}`, { title: "hijack" }],
      ["DELETE", `/api/v1/tasks/${task.id}`],
      ["GET", `/api/v1/tasks/${task.id}/comments`],
      ["POST", `/api/v1/tasks/${task.id}/comments`, { body: "hello" }],
      ["GET", `/api/v1/tasks/${task.id}/history`],
    ];
    for (const [method, path, body] of calls) {
      const response = await w.as.admin(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 404]);
      expect((await errorOf(response)).code).toBe("not_found");
    }
    const list = (await (await w.as.admin("GET", "/api/v1/tasks?limit=200")).json()) as { data: TaskJson[] };
    expect(list.data.map((row) => row.id)).not.toContain(task.id);
  });
});

describe("PATCH /api/v1/tasks/:id", () => {
  test("moving to done sets completedAt, moving out clears it; lastActivityAt is the exact change time", async () => {
    const task = await newTask(w.as.admin, { title: "Paint the fence" });
    const done = (await (await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { status: "done" })).json()) as TaskJson;
    expect(done.completedAt).toBe(done.updatedAt);
    expect(done.lastActivityAt).toBe(done.updatedAt);
    expect(done.lastActivityAt >= task.lastActivityAt).toBe(true);
    const again = (await (
      await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Paint it" })
    ).json()) as TaskJson;
    expect(again.completedAt).toBe(done.completedAt);
    const reopened = (await (
      await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { status: "review" })
    ).json()) as TaskJson;
    expect(reopened.completedAt).toBeNull();
    expect(lastEventOf(box, task.id)).toMatchObject({
      type: "task.updated",
      summary: "Ada Admin moved “Paint it” to Review",
      data: { title: "Paint it", changes: { status: { from: "done", to: "review" } } },
    });
  });

  test("keeps one history row per changed field with who, from, to and when", async () => {
    const task = await newTask(w.as.admin, { title: "Order parts", priority: "low", labels: ["a"] });
    const response = await w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, {
      title: "Order the parts",
      priority: "urgent",
      labels: ["a"],
      dueAt: "2031-01-15T10:00:00Z",
      assigneeId: w.memberId,
    });
    const changed = (await response.json()) as TaskJson;
    const history = await historyOf(task.id);
    expect(history.map((row) => row.field)).toEqual(["created", "title", "priority", "assigneeId", "dueAt"]);
    expect(history.slice(1)).toEqual([
      expect.objectContaining({ actorId: w.leadId, from: "Order parts", to: "Order the parts", at: changed.updatedAt }),
      expect.objectContaining({ from: "low", to: "urgent" }),
      expect.objectContaining({ from: null, to: w.memberId }),
      expect.objectContaining({ from: null, to: "2031-01-15T10:00:00.000Z" }),
    ]);
  });

  test("a change that changes nothing keeps the task, its history and lastActivityAt as they were", async () => {
    const task = await newTask(w.as.admin, { title: "Same", priority: "high" });
    const same = (await (
      await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Same", priority: "high" })
    ).json()) as TaskJson;
    expect(same).toEqual(task);
    expect(await historyOf(task.id)).toHaveLength(1);
  });

  test("reassigning tells the new and the previous assignee", async () => {
    const task = await newTask(w.as.admin, { title: "Hand over", assigneeId: w.memberId });
    await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { assigneeId: w.otherMemberId });
    const event = lastEventOf(box, task.id);
    expect(event?.summary).toBe("Ada Admin assigned “Hand over” to Otto Other");
    expect(event?.audience.sort()).toEqual([w.adminId, w.memberId, w.otherMemberId].sort());
  });

  test("a stale If-Match is 412; the current ETag passes; If-None-Match gives 304", async () => {
    const created = await w.as.admin("POST", "/api/v1/tasks", { title: "Versioned" });
    const etag = created.headers.get("ETag") ?? "";
    const task = (await created.json()) as TaskJson;
    const first = await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Version 2" }, { "If-Match": etag });
    expect(first.status).toBe(200);
    const newEtag = first.headers.get("ETag") ?? "";
    expect(newEtag).not.toBe(etag);
    const stale = await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Lost update" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe("precondition_failed");
    expect((await read(task.id)).title).toBe("Version 2");
    const cached = await w.as.admin("GET", `/api/v1/tasks/${task.id}`, undefined, { "If-None-Match": newEtag });
    expect(cached.status).toBe(304);
  });

  test("moving into an archived or foreign project is 422", async () => {
    const task = await newTask(w.as.admin, { title: "Move me", projectId: w.projectId });
    for (const projectId of [w.archivedProjectId, w.globex.projectId]) {
      const response = await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { projectId });
      expect(response.status).toBe(422);
    }
    expect((await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { projectId: null })).status).toBe(200);
  });
});

describe("comments", () => {
  test("a comment sets the task's lastActivityAt to its exact time and is listed oldest first", async () => {
    const task = await newTask(w.as.admin, { title: "Discuss", assigneeId: w.memberId });
    const first = await w.as.member("POST", `/api/v1/tasks/${task.id}/comments`, { body: "First **note**" });
    expect(first.status).toBe(201);
    const comment = (await first.json()) as CommentJson;
    expect(comment).toMatchObject({ taskId: task.id, authorId: w.memberId, body: "First **note**" });
    await w.as.admin("POST", `/api/v1/tasks/${task.id}/comments`, { body: "Second" });
    const after = await read(task.id);
    const list = (await (await w.as.viewer("GET", `/api/v1/tasks/${task.id}/comments?limit=1`)).json()) as {
      data: CommentJson[];
      nextCursor: string;
    };
    expect(list.data.map((row) => row.body)).toEqual(["First **note**"]);
    const rest = (await (
      await w.as.viewer("GET", `/api/v1/tasks/${task.id}/comments?cursor=${list.nextCursor}`)
    ).json()) as { data: CommentJson[]; nextCursor: string | null };
    expect(rest.data.map((row) => row.body)).toEqual(["Second"]);
    expect(rest.nextCursor).toBeNull();
    expect(after.lastActivityAt).toBe(rest.data[0]?.createdAt ?? "");
    expect(lastEventOf(box, task.id)).toMatchObject({
      type: "task.commented",
      summary: "Ada Admin commented on “Discuss”",
    });
    expect((await w.as.admin("POST", `/api/v1/tasks/${task.id}/comments`, { body: "  " })).status).toBe(422);
  });
});

describe("GET /api/v1/tasks, the first page kept until the next write", () => {
  const titles = async (call: typeof w.as.admin, path: string) => {
    const response = await call("GET", path);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toStartWith("application/json");
    return ((await response.json()) as { data: TaskJson[] }).data.map((task) => task.title);
  };

  test("a change made after a page was read is in the next read of the same page", async () => {
    const task = await newTask(w.as.admin, { title: "Kept page 1", labels: ["kept-page"] });
    const path = "/api/v1/tasks?label=kept-page";
    expect(await titles(w.as.admin, path)).toEqual(["Kept page 1"]);
    expect(await titles(w.as.admin, path)).toEqual(["Kept page 1"]);
    expect((await w.as.admin("PATCH", `/api/v1/tasks/${task.id}`, { title: "Kept page 2" })).status).toBe(200);
    expect(await titles(w.as.admin, path)).toEqual(["Kept page 2"]);
    await newTask(w.as.admin, { title: "Kept page 3", labels: ["kept-page"] });
    expect(await titles(w.as.admin, path)).toEqual(["Kept page 3", "Kept page 2"]);
  });

  test("\"me\" is each caller's own page, never another person's kept one", async () => {
    await newTask(w.as.admin, { title: "Mine as admin", labels: ["kept-me"], assigneeId: w.adminId });
    await newTask(w.as.admin, { title: "Mine as member", labels: ["kept-me"], assigneeId: w.memberId });
    const path = "/api/v1/tasks?label=kept-me&assigneeId=me";
    expect(await titles(w.as.admin, path)).toEqual(["Mine as admin"]);
    expect(await titles(w.as.member, path)).toEqual(["Mine as member"]);
  });
});
