import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import type { TaskContext } from "./access.ts";
import { boardColumns } from "./list.ts";
import { createTaskInput } from "./schemas.ts";
import { createTask } from "./service.ts";
import { adminTaskContext, createTaskWorld, insertProject, type TaskWorld } from "./test-kit.ts";
import { moveTask } from "./update.ts";

let box: TestApp;
let w: TaskWorld;
let ctx: TaskContext;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  ctx = adminTaskContext(box, w);
});
afterAll(() => box.close());

const make = (title: string, fields: Record<string, unknown> = {}) =>
  createTask(ctx, createTaskInput.parse({ title, ...fields }));

function titles(projectId: string | undefined, status: "todo" | "review" | "done") {
  return boardColumns(box.deps.db, w.orgId, projectId)[status].map((task) => task.title);
}

describe("moving cards on the board", () => {
  test("a new task goes on top of its column; a move puts a card exactly where it was dropped", () => {
    const projectId = insertProject(box, w.orgId, "MOVE");
    const [a, b, c] = ["A", "B", "C"].map((title) => make(title, { projectId }));
    expect(titles(projectId, "todo")).toEqual(["C", "B", "A"]);
    moveTask(ctx, c?.id ?? "", { status: "todo", position: 2, projectId });
    expect(titles(projectId, "todo")).toEqual(["B", "A", "C"]);
    moveTask(ctx, a?.id ?? "", { status: "todo", position: 0, projectId });
    expect(titles(projectId, "todo")).toEqual(["A", "B", "C"]);
    const done = moveTask(ctx, b?.id ?? "", { status: "done", position: 0, projectId });
    expect(titles(projectId, "todo")).toEqual(["A", "C"]);
    expect(titles(projectId, "done")).toEqual(["B"]);
    expect(done.completedAt?.getTime()).toBe(done.lastActivityAt.getTime());
  });

  test("a place past the end of the column is the end", () => {
    const projectId = insertProject(box, w.orgId, "END");
    const [first] = ["One", "Two"].map((title) => make(title, { projectId }));
    moveTask(ctx, first?.id ?? "", { status: "todo", position: 99, projectId });
    expect(titles(projectId, "todo")).toEqual(["Two", "One"]);
  });

  test("cards without positions of their own (imported, seeded) are numbered afresh when a card goes between them", () => {
    const projectId = insertProject(box, w.orgId, "TIES");
    const now = Date.now();
    for (const [index, title] of ["Old 1", "Old 2", "Old 3"].entries()) {
      box.deps.db
        .insert(tasks)
        .values({
          id: newId("tsk", now - 10_000 + index),
          orgId: w.orgId,
          projectId,
          title,
          status: "review",
          lastActivityAt: new Date(now),
        })
        .run();
    }
    expect(titles(projectId, "review")).toEqual(["Old 3", "Old 2", "Old 1"]);
    const mover = make("Mover", { projectId });
    moveTask(ctx, mover.id, { status: "review", position: 2, projectId });
    expect(titles(projectId, "review")).toEqual(["Old 3", "Old 2", "Mover", "Old 1"]);
    const stored = box.deps.db.select().from(tasks).where(eq(tasks.id, mover.id)).get();
    expect(stored?.status).toBe("review");
  });
});
