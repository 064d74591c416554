import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customRoles } from "../../../models/identity.ts";
import { createApiKey } from "../../auth/keys/api-keys.ts";
import { permissions } from "../../auth/roles/permissions.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { latestEventSeq } from "../../events/read.ts";
import { openSse, settle } from "../../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie } from "../../testing/identity.ts";
import { newId } from "../../tools/ids.ts";
import { createTaskWorld, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
let globexCookie = "";

beforeAll(async () => {
  box = await startTestApp();
  w = await createTaskWorld(box);
  globexCookie = sessionCookie(box, w.globex.adminId, w.globex.orgId);
});
afterAll(() => box.close());

const streams = (taskId: string) => [
  "/tasks/stream",
  "/tasks/board/stream",
  "/tasks/mine/stream",
  `/tasks/${taskId}/stream`,
];

async function status(path: string, headers: Record<string, string>): Promise<number> {
  const response = await box.fetch(path, { headers });
  await response.body?.cancel();
  return response.status;
}

/** A person whose custom role may upload documents and nothing else (no workspace.read). */
async function uploaderCookie(): Promise<string> {
  const roleId = newId("rol");
  box.deps.db
    .insert(customRoles)
    .values({ id: roleId, orgId: w.orgId, name: `Uploader ${roleId}`, permissions: ["documents.upload"] })
    .run();
  return sessionCookie(box, await createUser(box, { orgId: w.orgId, role: roleId }), w.orgId);
}

describe("the task pages' live streams", () => {
  test("are for console sessions with workspace.read: anonymous, API keys and other roles are refused", async () => {
    const task = await newTask(w.as.admin, { title: "Guarded" });
    const key = createApiKey(
      box.deps.db,
      { orgId: w.orgId, userId: w.adminId, name: "live", scopes: [...permissions], expiresAt: null },
      new Set(permissions),
    ).key;
    const uploader = await uploaderCookie();
    for (const path of streams(task.id)) {
      expect([path, await status(path, {})]).toEqual([path, 303]);
      expect([path, await status(path, { Authorization: `Bearer ${key}` })]).toEqual([path, 403]);
      expect([path, await status(path, { Cookie: uploader })]).toEqual([path, 403]);
      expect([path, await status(path, { Cookie: w.cookies.viewer, "HX-Request": "true" })]).toEqual([path, 200]);
    }
  });

  test("another organisation's task has no stream (404)", async () => {
    const task = await newTask(w.as.admin, { title: "Acme only" });
    expect(await status(`/tasks/${task.id}/stream`, { Cookie: globexCookie })).toBe(404);
  });

  test("the pages connect to their streams, resuming after the newest event they were drawn with", async () => {
    const task = await newTask(w.as.admin, { title: "Connected" });
    const latest = latestEventSeq(box.deps.db, w.orgId);
    const html = async (path: string) => (await box.fetch(path, { headers: { Cookie: w.cookies.member } })).text();
    expect(await html("/tasks/board")).toContain(
      `hx-sse:connect="/tasks/board/stream?after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(latest)}"`,
    );
    expect(await html(`/tasks/board?projectId=${w.projectId}`)).toContain(
      `hx-sse:connect="/tasks/board/stream?projectId=${w.projectId}&amp;after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(latest)}"`,
    );
    expect(await html(`/tasks/${task.id}`)).toContain(
      `hx-sse:connect="/tasks/${task.id}/stream?after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(latest)}"`,
    );
    expect(await html("/tasks/mine")).toContain(
      `hx-sse:connect="/tasks/mine/stream?after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(latest)}"`,
    );
    expect(await html("/tasks?status=done")).toContain(
      `hx-sse:connect="/tasks/stream?status=done&amp;after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(latest)}"`,
    );
  });

  test("a move through the API reaches the board as the two columns it changed", async () => {
    const task = await newTask(w.as.admin, { title: "Move me", status: "todo" });
    const stream = await openSse(box, "/tasks/board/stream", { Cookie: w.cookies.viewer, "HX-Request": "true" });
    try {
      const moved = await w.as.lead("PATCH", `/api/v1/tasks/${task.id}`, { status: "review" });
      expect(moved.status).toBe(200);
      const [message] = await stream.waitFor(1);
      expect(message?.id).toMatch(/^evt_[\w-]{22}$/);
      expect(message?.data).toContain('hx-target="#board-column-todo"');
      expect(message?.data).toMatch(/hx-target="#board-column-review"[\s\S]*Move me/);
    } finally {
      await stream.close();
    }
  });

  test("events of another organisation never arrive", async () => {
    const acme = await openSse(box, "/tasks/board/stream", { Cookie: w.cookies.viewer });
    const globex = await openSse(box, "/tasks/board/stream", { Cookie: globexCookie });
    try {
      await newTask(w.as.admin, { title: "Acme private task", status: "blocked" });
      await newTask(w.as.globex, { title: "Globex task", status: "blocked" });
      await Promise.all([acme.waitFor(1), globex.waitFor(1)]);
      await settle();
      const seen = (client: typeof acme) => client.messages.map((message) => message.data).join("");
      expect(seen(globex)).toContain("Globex task");
      expect(seen(globex)).not.toContain("Acme private task");
      expect(seen(acme)).toContain("Acme private task");
      expect(seen(acme)).not.toContain("Globex task");
    } finally {
      await Promise.all([acme.close(), globex.close()]);
    }
  });

  test("a task page gets that task's new comments, and nothing of other tasks", async () => {
    const task = await newTask(w.as.admin, { title: "Watched", assigneeId: w.memberId });
    const other = await newTask(w.as.admin, { title: "Unwatched" });
    const stream = await openSse(box, `/tasks/${task.id}/stream`, { Cookie: w.cookies.member });
    try {
      await w.as.admin("POST", `/api/v1/tasks/${other.id}/comments`, { body: "Elsewhere" });
      await w.as.lead("POST", `/api/v1/tasks/${task.id}/comments`, { body: "Pump *ordered*" });
      await stream.waitFor(1);
      await settle();
      const seen = stream.messages.map((message) => message.data).join("");
      expect(seen).toMatch(/hx-target="#task-comment-list"[\s\S]*<em>ordered<\/em>/);
      expect(seen).not.toContain("Elsewhere");
    } finally {
      await stream.close();
    }
  });

  test("the list hears how many tasks changed since it was drawn, and Last-Event-ID keeps the count", async () => {
    const since = latestEventSeq(box.deps.db, w.orgId);
    const path = `/tasks/stream?status=todo&after=${eventIdsOf(box.deps.keyring, w.orgId).idOf(since)}`;
    const first = await newTask(w.as.admin, { title: "Listed one" });
    const resumed = await openSse(box, path, {
      Cookie: w.cookies.viewer,
      "Last-Event-ID": `${eventIdsOf(box.deps.keyring, w.orgId).idOf(since)}`,
    });
    try {
      const [message] = await resumed.waitFor(1);
      expect(message?.data).toContain("1 task changed since this list was loaded.");
      expect(message?.data).toContain('hx-get="/tasks?status=todo"');
      await w.as.admin("PATCH", `/api/v1/tasks/${first.id}`, { priority: "urgent" });
      await newTask(w.as.admin, { title: "Listed two" });
      await settle();
      expect(resumed.messages.at(-1)?.data).toContain("2 tasks changed since this list was loaded.");
    } finally {
      await resumed.close();
    }
  });

  test("My work redraws when a task is given to me, changes, or is taken away; not for others' tasks", async () => {
    const stream = await openSse(box, "/tasks/mine/stream", { Cookie: w.cookies.member });
    const globex = await openSse(box, "/tasks/mine/stream", { Cookie: globexCookie });
    try {
      await newTask(w.as.admin, { title: "Someone else's chore", assigneeId: w.otherMemberId });
      const mine = await newTask(w.as.lead, { title: "Fresh for the member", assigneeId: w.memberId });
      await stream.waitFor(1);
      await settle();
      const redraws = () => stream.messages.filter((message) => message.data.includes("#my-work-groups"));
      expect(redraws()).toHaveLength(1);
      expect(redraws()[0]?.data).toMatch(/hx-target="#my-work-groups"[\s\S]*Fresh for the member/);
      expect(stream.messages.map((message) => message.data).join("")).not.toContain("Someone else's chore");
      await w.as.lead("PATCH", `/api/v1/tasks/${mine.id}`, { assigneeId: w.otherMemberId });
      await settle();
      expect(redraws()).toHaveLength(2);
      expect(redraws()[1]?.data).toContain('id="my-work-groups"');
      expect(redraws()[1]?.data).not.toContain("Fresh for the member");
      // Another organisation's My work hears nothing of these tasks, not even their ids.
      expect(globex.messages).toEqual([]);
    } finally {
      await Promise.all([stream.close(), globex.close()]);
    }
  });
});
