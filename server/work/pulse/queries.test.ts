import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { hoursAgo, insertInvoice, insertTask } from "./pulse-test-kit.ts";
import { listMyOpenTasks, listOverdueInvoices } from "./queries.ts";

let box: TestApp;
let orgId = "";
let memberId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member" });
});

afterAll(() => box.close());

/** The plan SQLite picks for a statement drizzle built. */
function planOf(query: { toSQL: () => { sql: string } }): string {
  return box.deps.db.$client
    .query<{ detail: string }, []>(`EXPLAIN QUERY PLAN ${query.toSQL().sql}`)
    .all()
    .map((row) => row.detail)
    .join(" | ");
}

describe("my open tasks", () => {
  test("the soonest due first, the undated last (oldest first), done work left out, across the two reads", () => {
    const now = new Date();
    const undatedOld = insertTask(box, orgId, { title: "undated old", assigneeId: memberId });
    const late = insertTask(box, orgId, { title: "late", assigneeId: memberId, dueAt: hoursAgo(5, now) });
    insertTask(box, orgId, { title: "done", assigneeId: memberId, status: "done", dueAt: hoursAgo(50, now) });
    const soon = insertTask(box, orgId, { title: "soon", assigneeId: memberId, dueAt: hoursAgo(-5, now) });
    const undatedNew = insertTask(box, orgId, { title: "undated new", assigneeId: memberId, status: "blocked" });
    // Same due time: the older id first.
    const tieA = insertTask(box, orgId, { title: "tie a", assigneeId: memberId, dueAt: hoursAgo(-10, now) });
    const tieB = insertTask(box, orgId, { title: "tie b", assigneeId: memberId, dueAt: hoursAgo(-10, now) });

    const ids = (limit: number) => listMyOpenTasks(box.deps.db, orgId, memberId, limit).map((row) => row.id);
    const all = [late, soon, tieA, tieB, undatedOld, undatedNew];
    expect(ids(50)).toEqual(all);
    for (let limit = 1; limit <= all.length; limit++) expect(ids(limit)).toEqual(all.slice(0, limit));
  });
});

describe("overdue invoices", () => {
  test("overdue ones and sent ones past due, merged by due date, of this organisation only", async () => {
    const other = await createOrganization(box, "Globex");
    const a = insertInvoice(box, orgId, { number: "Q-1", status: "overdue", dueDate: "2020-03-01" });
    const b = insertInvoice(box, orgId, { number: "Q-2", status: "sent", dueDate: "2020-02-01" });
    const c = insertInvoice(box, orgId, { number: "Q-3", status: "overdue", dueDate: "2020-01-01" });
    const d = insertInvoice(box, orgId, { number: "Q-4", status: "sent", dueDate: "2020-03-01" });
    insertInvoice(box, orgId, { number: "Q-5", status: "sent", dueDate: "2999-01-01" });
    insertInvoice(box, orgId, { number: "Q-6", status: "paid", dueDate: "2019-01-01" });
    insertInvoice(box, other.orgId, { number: "G-1", status: "overdue", dueDate: "2019-01-01" });
    // a and d share a due date: the smaller id first.
    const [first = "", second = ""] = [a, d].sort();
    const ids = (limit: number) => listOverdueInvoices(box.deps.db, orgId, "2026-01-01", limit).map((row) => row.id);
    expect(ids(10)).toEqual([c, b, first, second]);
    expect(ids(2)).toEqual([c, b]);
    expect(ids(3)).toEqual([c, b, first]);
  });
});

test("the dated read walks tasks_org_assignee_due_idx in order: no temporary B-tree", () => {
  const { db } = box.deps;
  const plan = planOf(
    db
      .select({ id: tasks.id })
      .from(tasks)
      .where(
        and(
          eq(tasks.orgId, orgId),
          inArray(tasks.status, ["todo", "in_progress", "blocked", "review"]),
          eq(tasks.assigneeId, memberId),
          isNotNull(tasks.dueAt),
        ),
      )
      .orderBy(asc(tasks.dueAt), asc(tasks.id))
      .limit(6),
  );
  expect(plan).toContain("tasks_org_assignee_due_idx");
  expect(plan).not.toContain("TEMP B-TREE");
});
