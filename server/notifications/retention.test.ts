import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { notifications } from "../../models/notifications.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { KEEP_PER_PERSON, pruneNotifications } from "./retention.ts";

let box: TestApp;
let orgId = "";
let max = "";

beforeAll(async () => {
  box = await startInProcessApp();
  orgId = (await setUpBox(box)).orgId;
  max = await createUser(box, { orgId, role: "member", name: "Max" });
});
afterAll(() => box.close());

function insert(count: number, at: Date, emailStatus: "none" | "pending" = "none", from = 0): void {
  for (let n = 0; n < count; n++) {
    box.deps.db
      .insert(notifications)
      .values({
        id: newId("ntf"),
        orgId,
        userId: max,
        kind: "task_assigned",
        eventSeq: 1_000_000 + from + n,
        subjectType: "task",
        subjectId: "tsk_1",
        title: `Old ${from + n}`,
        link: "/tasks/tsk_1",
        inConsole: true,
        emailStatus,
        createdAt: at,
      })
      .run();
  }
}

test("notifications older than 90 days and beyond a person's newest 500 go; one still waiting for its e-mail stays", () => {
  const now = new Date();
  insert(2, new Date(now.getTime() - 91 * 86_400_000));
  insert(1, new Date(now.getTime() - 91 * 86_400_000), "pending", 2);
  insert(KEEP_PER_PERSON + 4, now, "none", 3);
  expect(pruneNotifications(box.deps.db, now)).toBe(2 + 4);
  const left = box.deps.db
    .select({ title: notifications.title, emailStatus: notifications.emailStatus })
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.userId, max)))
    .all();
  expect(left).toHaveLength(KEEP_PER_PERSON + 1);
  expect(left.filter((row) => row.emailStatus === "pending").map((row) => row.title)).toEqual(["Old 2"]);
  expect(left.some((row) => row.title === "Old 3")).toBe(false);
});
