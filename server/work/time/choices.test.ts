import { afterAll, beforeAll, expect, test } from "bun:test";
import { projectMembers, projects } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { contextFor } from "../approvals/test-kit.ts";
import { PROJECT_CHOICES, workChoicesOf } from "./choices.ts";
import { createTimeWorld, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
  // More active projects than the picker lists; the member belongs to two near the end by code.
  const rows = Array.from({ length: PROJECT_CHOICES + 50 }, (_, index) => ({
    id: newId("prj"),
    orgId: w.orgId,
    code: `P${String(index).padStart(4, "0")}`,
    name: `Project ${index}`,
  }));
  box.deps.db.insert(projects).values(rows).run();
  const joined = [rows.at(-1), rows.at(-2)].map((row) => row?.id ?? "");
  box.deps.db
    .insert(projectMembers)
    .values(joined.map((projectId) => ({ projectId, userId: w.ids.member, orgId: w.orgId })))
    .run();
});
afterAll(() => box.close());

test("the picker lists my projects first, then at most 200 others by code, and says when there are more", () => {
  const choices = workChoicesOf(contextFor(box, w.ids.member, w.orgId));
  expect(choices.myProjects.map((choice) => choice.label)).toEqual(["P0248 · Project 248", "P0249 · Project 249"]);
  expect(choices.projects).toHaveLength(PROJECT_CHOICES);
  expect(choices.projects[0]?.label).toBe("P0000 · Project 0");
  expect(choices.projects.some((choice) => choice.label.startsWith("P0248"))).toBe(false);
  expect(choices.moreProjects).toBe(true);
  // Someone with no memberships sees the same first 200, and no archived project.
  const viewer = workChoicesOf(contextFor(box, w.ids.viewer, w.orgId));
  expect(viewer.myProjects).toEqual([]);
  expect(viewer.projects.some((choice) => choice.label.startsWith("OLD"))).toBe(false);
});
