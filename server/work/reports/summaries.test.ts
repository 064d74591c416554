import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, gte, lte, ne, sql } from "drizzle-orm";
import { customers, invoiceStatuses, invoices } from "../../../models/billing.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects, taskStatuses, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { progressOf } from "../projects/service.ts";
import { hoursByProject } from "./hours.ts";
import { invoicesByMonth, invoicesByStatus } from "./invoices.ts";
import { partsOf } from "./periods.ts";
import type { DayRange } from "./range.ts";

// The running totals (models/summaries.ts, kept by the triggers of migration 0014) must always
// equal an aggregate made from scratch, whatever is inserted, edited or deleted.
const fromScratch: Record<string, string> = {
  time_month_totals: `select org_id, substr(date, 1, 7), coalesce(project_id, ''), user_id, count(*), sum(minutes), sum(case when billable then minutes else 0 end) from time_entries group by 1, 2, 3, 4`,
  time_day_totals: `select org_id, date, coalesce(project_id, ''), user_id, count(*), sum(minutes), sum(case when billable then minutes else 0 end) from time_entries group by 1, 2, 3, 4`,
  invoice_month_totals: `select org_id, substr(issue_date, 1, 7), status, currency, count(*), sum(total) from invoices group by 1, 2, 3, 4`,
  invoice_day_totals: `select org_id, issue_date, status, currency, count(*), sum(total) from invoices group by 1, 2, 3, 4`,
  task_completion_days: `select org_id, cast(completed_at / 86400000 as integer), count(*) from tasks where status = 'done' and completed_at is not null group by 1, 2`,
  project_task_counts: `select org_id, project_id, status, count(*) from tasks where project_id is not null group by 1, 2, 3`,
};

let box: TestApp;
const orgIds: string[] = [];
const people: string[] = [];
const projectIds: string[] = [];
const customerIds: string[] = [];

// A small deterministic generator, so a failure can be replayed.
let state = 7;
function random(below: number): number {
  state = (state * 48_271) % 2_147_483_647;
  return state % below;
}
function pick<T>(items: readonly T[]): T {
  const item = items[random(items.length)];
  if (item === undefined) throw new Error("empty choice");
  return item;
}
const day = () => `2030-0${1 + random(3)}-${String(1 + random(28)).padStart(2, "0")}`;

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  orgIds.push(acme.orgId, globex.orgId);
  for (const name of ["Ann", "Ben", "Cy"])
    people.push(await createUser(box, { orgId: acme.orgId, role: "member", name }));
  for (const [index, orgId] of [acme.orgId, acme.orgId, acme.orgId, globex.orgId].entries()) {
    const id = newId("prj");
    box.deps.db
      .insert(projects)
      .values({ id, orgId, name: `P${index}`, code: `P${index}` })
      .run();
    projectIds.push(id);
    const customerId = newId("cus");
    box.deps.db
      .insert(customers)
      .values({ id: customerId, orgId, name: `C${index}`, currency: "EUR" })
      .run();
    customerIds.push(customerId);
  }
});
afterAll(() => box.close());

function expectTotalsFromScratch() {
  for (const [table, query] of Object.entries(fromScratch)) {
    const kept = box.deps.db.$client.query(`select * from ${table}`).values();
    const scratch = box.deps.db.$client.query(query).values();
    const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
    expect({ table, rows: sorted(kept) }).toEqual({ table, rows: sorted(scratch) });
  }
}

function writeSomething(step: number) {
  const db = box.deps.db;
  const orgId = pick(orgIds);
  const projectId = random(4) === 0 ? null : pick(projectIds);
  // An edit or delete of a table that is still empty picks from its one placeholder: a no-op.
  const ids = (table: typeof timeEntries | typeof invoices | typeof tasks) => [
    "none",
    ...db
      .select({ id: table.id })
      .from(table)
      .all()
      .map((row) => row.id),
  ];
  switch (random(9)) {
    case 0:
    case 1: {
      const billable = random(2) === 0;
      const values = { userId: pick(people), date: day(), minutes: 15 + random(200), projectId, billable };
      db.insert(timeEntries)
        .values({ id: newId("tim"), orgId, ...values })
        .run();
      break;
    }
    case 2: {
      const id = pick(ids(timeEntries));
      const change = pick([
        { date: day() },
        { minutes: 1 + random(300) },
        { projectId },
        { billable: random(2) === 0 },
      ]);
      db.update(timeEntries)
        .set({ ...change, userId: pick(people) })
        .where(eq(timeEntries.id, id))
        .run();
      break;
    }
    case 3: {
      const values = { customerId: pick(customerIds), currency: pick(["EUR", "USD"]), issueDate: day() };
      const status = pick(invoiceStatuses);
      db.insert(invoices)
        .values({
          id: newId("inv"),
          orgId,
          number: `N-${step}`,
          dueDate: "2030-06-01",
          status,
          total: random(9999),
          ...values,
        })
        .run();
      break;
    }
    case 4: {
      const id = pick(ids(invoices));
      const change = pick([
        { status: pick(invoiceStatuses) },
        { total: random(50_000) },
        { issueDate: day() },
        { currency: "GBP" },
      ]);
      db.update(invoices).set(change).where(eq(invoices.id, id)).run();
      break;
    }
    case 5: {
      const status = pick(taskStatuses);
      const at = new Date(Date.UTC(2030, random(3), 1 + random(28), random(24)));
      db.insert(tasks)
        .values({
          id: newId("tsk"),
          orgId,
          title: `T${step}`,
          projectId,
          status,
          completedAt: status === "done" ? at : null,
          lastActivityAt: at,
        })
        .run();
      break;
    }
    case 6: {
      const id = pick(ids(tasks));
      const status = pick(taskStatuses);
      const change = pick([
        { status, completedAt: status === "done" ? new Date(Date.UTC(2030, random(3), 1 + random(28))) : null },
        { projectId },
        { title: "Renamed" },
      ]);
      db.update(tasks).set(change).where(eq(tasks.id, id)).run();
      break;
    }
    default: {
      const table = pick([timeEntries, invoices, tasks] as const);
      db.delete(table)
        .where(eq(table.id, pick(ids(table))))
        .run();
    }
  }
}

describe("running totals", () => {
  test("equal a from-scratch aggregate after inserts, edits and deletes", () => {
    for (let step = 0; step < 60; step += 1) writeSomething(step);
    expectTotalsFromScratch();
    for (let step = 60; step < 400; step += 1) {
      writeSomething(step);
      if (step % 40 === 0) expectTotalsFromScratch();
    }
    expectTotalsFromScratch();
  });

  test("a deleted project's time and tasks move to no project, and its counts go", () => {
    const gone = projectIds[1] ?? "";
    box.deps.db.delete(projects).where(eq(projects.id, gone)).run();
    expectTotalsFromScratch();
    const left = box.deps.db.$client
      .query("select count(*) as n from project_task_counts where project_id = ?")
      .get(gone);
    expect(left).toEqual({ n: 0 });
  });

  test("reports over any range equal the sums of the rows themselves", () => {
    const orgId = orgIds[0] ?? "";
    const ctx = { db: box.deps.db, orgId } as unknown as ServiceContext; // only db and orgId are read
    const ranges: DayRange[] = [
      { from: "2030-01-01", to: "2030-03-31" },
      { from: "2030-01-15", to: "2030-03-10" },
      { from: "2030-01-31", to: "2030-02-01" },
      { from: "2030-02-01", to: "2030-02-28" },
      { from: "2030-02-02", to: "2030-02-27" },
      { from: "2029-12-20", to: "2030-02-28" },
      { from: "2030-03-05", to: "2030-03-05" },
    ];
    for (const range of ranges) {
      const inRange = and(
        eq(timeEntries.orgId, orgId),
        gte(timeEntries.date, range.from),
        lte(timeEntries.date, range.to),
      );
      const minutes = box.deps.db
        .select({ projectId: timeEntries.projectId, minutes: sql<number>`sum(${timeEntries.minutes})`.mapWith(Number) })
        .from(timeEntries)
        .where(inRange)
        .groupBy(timeEntries.projectId)
        .all();
      const report = hoursByProject(ctx, range).map((row) => ({ projectId: row.projectId, minutes: row.minutes }));
      expect(report.sort(byKey)).toEqual(minutes.sort(byKey));

      const issued = and(
        eq(invoices.orgId, orgId),
        gte(invoices.issueDate, range.from),
        lte(invoices.issueDate, range.to),
      );
      const byStatus = box.deps.db
        .select({
          status: invoices.status,
          currency: invoices.currency,
          count: sql<number>`count(*)`.mapWith(Number),
          total: sql<number>`sum(${invoices.total})`.mapWith(Number),
        })
        .from(invoices)
        .where(issued)
        .groupBy(invoices.status, invoices.currency)
        .all();
      expect(invoicesByStatus(ctx, range).sort(byKey)).toEqual(byStatus.sort(byKey));
      const month = sql<string>`substr(${invoices.issueDate}, 1, 7)`;
      const byMonth = box.deps.db
        .select({
          month,
          currency: invoices.currency,
          count: sql<number>`count(*)`.mapWith(Number),
          total: sql<number>`sum(${invoices.total})`.mapWith(Number),
        })
        .from(invoices)
        .where(and(issued, ne(invoices.status, "void")))
        .groupBy(month, invoices.currency)
        .orderBy(month, invoices.currency)
        .all();
      expect(invoicesByMonth(ctx, range)).toEqual(byMonth);
    }
  });

  test("project progress equals a count of the project's tasks", () => {
    const orgId = orgIds[0] ?? "";
    const progress = progressOf(box.deps.db, orgId, projectIds);
    for (const projectId of projectIds) {
      const all = box.deps.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.orgId, orgId), eq(tasks.projectId, projectId)))
        .all();
      const done = all.filter((task) => task.status === "done").length;
      const expected =
        all.length === 0 ? undefined : { total: all.length, done, percent: Math.floor((done * 100) / all.length) };
      expect(progress.get(projectId)).toEqual(expected);
    }
  });
});

describe("partsOf", () => {
  test("splits a range into whole months and the days at its ends", () => {
    expect(partsOf({ from: "2030-01-01", to: "2030-03-31" })).toEqual({
      months: { from: "2030-01", to: "2030-03" },
      days: [],
    });
    expect(partsOf({ from: "2030-01-15", to: "2030-03-10" })).toEqual({
      months: { from: "2030-02", to: "2030-02" },
      days: [
        { from: "2030-01-15", to: "2030-01-31" },
        { from: "2030-03-01", to: "2030-03-10" },
      ],
    });
    expect(partsOf({ from: "2030-02-03", to: "2030-02-27" })).toEqual({
      months: null,
      days: [{ from: "2030-02-03", to: "2030-02-27" }],
    });
    expect(partsOf({ from: "2028-02-01", to: "2028-02-29" })).toEqual({
      months: { from: "2028-02", to: "2028-02" },
      days: [],
    });
    expect(partsOf({ from: "2029-12-20", to: "2030-01-05" })).toEqual({
      months: null,
      days: [
        { from: "2029-12-20", to: "2029-12-31" },
        { from: "2030-01-01", to: "2030-01-05" },
      ],
    });
  });
});

function byKey(a: object, b: object): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
