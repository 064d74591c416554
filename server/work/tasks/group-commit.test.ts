import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { domainEvents } from "../../../models/events.ts";
import { taskChanges, tasks } from "../../../models/work.ts";
import { rolePermissions } from "../../auth/roles/permissions.ts";
import { AppError } from "../../http/errors.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { TaskContext } from "./access.ts";
import { createTaskInput } from "./schemas.ts";
import { createTaskInSharedCommit } from "./service.ts";
import { adminTaskContext, createTaskWorld, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
let ctx: TaskContext;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  ctx = adminTaskContext(box, w);
});
afterAll(() => box.close());

describe("creations that share a commit", () => {
  test("each is all or nothing: a refused one leaves no row, history or event; the others commit", async () => {
    const inputs = [
      { title: "Batch one", projectId: w.projectId },
      { title: "Batch refused", projectId: w.archivedProjectId },
      { title: "Batch two", assigneeId: w.memberId },
    ];
    // Queued in the same turn of the event loop: one transaction, one savepoint each.
    const outcomes = await Promise.allSettled(
      inputs.map((input) => createTaskInSharedCommit(ctx, createTaskInput.parse(input))),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const refused = outcomes[1];
    expect(refused?.status === "rejected" && refused.reason instanceof AppError && refused.reason.status).toBe(422);

    const db = box.deps.db;
    const rows = db.select().from(tasks).where(eq(tasks.orgId, w.orgId)).all();
    expect(rows.map((row) => row.title).sort()).toEqual(["Batch one", "Batch two"]);
    const ids = rows.map((row) => row.id);
    expect(db.select().from(taskChanges).where(inArray(taskChanges.taskId, ids)).all()).toHaveLength(2);
    const events = db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.orgId, w.orgId), eq(domainEvents.subjectType, "task")))
      .all();
    expect(events.map((event) => event.type)).toEqual(["task.created", "task.created"]);
    expect(events.map((event) => event.subjectId).sort()).toEqual([...ids].sort());
    // Made in order, listed in order: ids only grow.
    const fulfilled = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.id] : []));
    expect(fulfilled[0] && fulfilled[1] && fulfilled[0] < fulfilled[1]).toBe(true);
  });

  test("a member's forbidden assignee is refused before anything is queued", async () => {
    const member = { ...ctx, userId: w.memberId, permissions: rolePermissions.member };
    expect(() => createTaskInSharedCommit(member, createTaskInput.parse({ title: "x", assigneeId: w.leadId }))).toThrow(
      "You may only assign tasks to yourself",
    );
  });
});
