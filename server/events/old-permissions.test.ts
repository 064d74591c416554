import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { domainEvents } from "../../models/events.ts";
import { MIGRATIONS_DIR } from "../migrate.ts";
import type { TestApp } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

/**
 * Migration 0012: events stored before every event type carried its record's permission (a
 * timesheet's minutes shown to every viewer) get the permission they would be stored with now.
 */
let box: TestApp;
let orgId = "";
beforeAll(async () => {
  box = await startInProcessApp();
  orgId = (await setUpBox(box)).orgId;
});
afterAll(() => box.close());

function oldEvent(type: string, subjectType: string, data: Record<string, unknown> = {}): number {
  return box.deps.db
    .insert(domainEvents)
    .values({ orgId, type, subjectType, subjectId: "x", permission: null, summary: "old", data, createdAt: new Date() })
    .returning({ seq: domainEvents.seq })
    .get().seq;
}

test("old timesheet, time, invoice and approval events get their record's permission; others stay open", () => {
  const events = {
    submitted: oldEvent("timesheet.submitted", "timesheet"),
    entry: oldEvent("time_entry.created", "time_entry"),
    timer: oldEvent("timer.started", "timer"),
    invoice: oldEvent("invoice.created", "invoice"),
    customer: oldEvent("customer.updated", "customer"),
    sheetApproval: oldEvent("approval.requested", "approval", { subjectType: "timesheet" }),
    invoiceApproval: oldEvent("approval.decided", "approval", { subjectType: "invoice" }),
    purchaseApproval: oldEvent("approval.requested", "approval", { subjectType: "purchase" }),
    task: oldEvent("task.created", "task"),
  };
  const sql = readFileSync(join(MIGRATIONS_DIR, "0012_timesheet_event_permissions.sql"), "utf8");
  for (const statement of sql.split("--> statement-breakpoint")) box.deps.db.$client.run(statement);
  const permissionOf = (seq: number) =>
    box.deps.db
      .select({ permission: domainEvents.permission })
      .from(domainEvents)
      .where(eq(domainEvents.seq, seq))
      .get()?.permission;
  expect(Object.fromEntries(Object.entries(events).map(([name, seq]) => [name, permissionOf(seq)]))).toEqual({
    submitted: "timesheets.approve",
    entry: "timesheets.approve",
    timer: "timesheets.approve",
    invoice: "invoices.manage",
    customer: "invoices.manage",
    sheetApproval: "timesheets.approve",
    invoiceApproval: "invoices.manage",
    purchaseApproval: null,
    task: null,
  });
});
