import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { organizations } from "../../models/identity.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { timeEntries } from "../../models/time.ts";
import { tasks } from "../../models/work.ts";
import { apiAs } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { applyRetention } from "./retention.ts";

const DAY = 86_400_000;
const now = new Date("2026-12-01T12:00:00Z");
let box: TestApp;
let orgId = "";
let adminId = "";
beforeAll(async () => {
  box = await startInProcessApp();
  ({ orgId, adminId } = await setUpBox(box));
  box.deps.db
    .update(organizations)
    .set({ policy: { ...compliancePresets.basic.policy, dataRetentionDays: 90 } })
    .where(eq(organizations.id, orgId))
    .run();
  const admin = apiAs(box, sessionCookie(box, adminId, orgId));
  let taskId = "";
  for (const title of ["Old done", "Recent done", "Old open"]) {
    const created = await admin("POST", "/api/v1/tasks", { title, status: title.endsWith("done") ? "done" : "todo" });
    expect(created.status).toBe(201);
    taskId = ((await created.json()) as { id: string }).id;
  }
  box.deps.db
    .update(tasks)
    .set({ completedAt: new Date(now.getTime() - 200 * DAY) })
    .where(eq(tasks.title, "Old done"))
    .run();
  box.deps.db
    .update(tasks)
    .set({ completedAt: new Date(now.getTime() - 10 * DAY) })
    .where(eq(tasks.title, "Recent done"))
    .run();
  for (const date of ["2026-01-05", "2026-11-20"]) {
    const logged = await admin("POST", "/api/v1/time-entries", { date, minutes: 30, taskId });
    expect([logged.status, await logged.text()]).toEqual([201, expect.any(String)]);
  }
});
afterAll(() => box.close());

test("the job deletes nothing until an admin has confirmed the preview, then only what is past retention", async () => {
  const admin = apiAs(box, sessionCookie(box, adminId, orgId));
  expect(applyRetention(box.deps.db, box.dataDir, now).size).toBe(0);
  expect(box.deps.db.select().from(tasks).all()).toHaveLength(3);

  const preview = (await (await admin("GET", "/api/v1/retention")).json()) as { counts: unknown; active: boolean };
  expect(preview.active).toBe(false);
  // A preview for another value than the policy's is stale: 409, nothing confirmed.
  expect((await admin("POST", "/api/v1/retention/confirm", { dataRetentionDays: 30 })).status).toBe(409);
  const confirmed = await admin("POST", "/api/v1/retention/confirm", { dataRetentionDays: 90 });
  expect(confirmed.status).toBe(200);
  expect(((await confirmed.json()) as { active: boolean }).active).toBe(true);

  const deleted = applyRetention(box.deps.db, box.dataDir, now);
  expect(deleted.get(orgId)).toEqual({ closedTasks: 1, timeEntries: 1, documents: 0 });
  expect(
    box.deps.db
      .select({ title: tasks.title })
      .from(tasks)
      .all()
      .map((task) => task.title)
      .sort(),
  ).toEqual(["Old open", "Recent done"]);
  expect(box.deps.db.select({ date: timeEntries.date }).from(timeEntries).all()).toEqual([{ date: "2026-11-20" }]);
  const audit = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "privacy.retention_applied")).all();
  expect(audit.map((event) => event.details?.deleted)).toEqual([{ closedTasks: 1, timeEntries: 1, documents: 0 }]);
});

test("a changed retention period stops the job until the new preview is confirmed", () => {
  box.deps.db
    .update(organizations)
    .set({ policy: { ...compliancePresets.basic.policy, dataRetentionDays: 30 } })
    .where(eq(organizations.id, orgId))
    .run();
  expect(applyRetention(box.deps.db, box.dataDir, new Date(now.getTime() + 60 * DAY)).size).toBe(0);
  expect(box.deps.db.select().from(tasks).all()).toHaveLength(2);
});

test("another organisation's admin sees only their own preview and cannot confirm ours", async () => {
  const other = await createOrganization(box, "Other");
  const otherAdmin = apiAs(box, sessionCookie(box, other.adminId, other.orgId));
  const preview = (await (await otherAdmin("GET", "/api/v1/retention")).json()) as {
    dataRetentionDays: number | null;
    counts: unknown;
  };
  expect(preview).toMatchObject({ dataRetentionDays: null, counts: { closedTasks: 0, timeEntries: 0, documents: 0 } });
  expect((await otherAdmin("POST", "/api/v1/retention/confirm", { dataRetentionDays: 30 })).status).toBe(409);
});
