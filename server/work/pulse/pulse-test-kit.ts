import { customers, invoices } from "../../../models/billing.ts";
import { timeEntries } from "../../../models/time.ts";
import { type NewTask, tasks } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { newId } from "../../tools/ids.ts";

const HOUR = 60 * 60_000;

/** A task row written straight to the table (the Pulse only reads them). */
export function insertTask(
  box: TestApp,
  orgId: string,
  values: Partial<NewTask> & { title: string },
  now = new Date(),
): string {
  const id = newId("tsk");
  box.deps.db
    .insert(tasks)
    .values({ id, orgId, lastActivityAt: now, ...values })
    .run();
  return id;
}

export function hoursAgo(hours: number, now = new Date()): Date {
  return new Date(now.getTime() - hours * HOUR);
}

/** An invoice in `status`, due on `dueDate`, for a fresh customer. */
export function insertInvoice(
  box: TestApp,
  orgId: string,
  values: { number: string; status: "draft" | "sent" | "overdue" | "paid"; dueDate: string; total?: number },
): string {
  const customerId = newId("cus");
  box.deps.db
    .insert(customers)
    .values({ id: customerId, orgId, name: `Customer of ${values.number}`, currency: "EUR" })
    .run();
  const id = newId("inv");
  box.deps.db
    .insert(invoices)
    .values({
      id,
      orgId,
      number: values.number,
      customerId,
      currency: "EUR",
      issueDate: "2020-01-01",
      dueDate: values.dueDate,
      status: values.status,
      total: values.total ?? 12_345,
    })
    .run();
  return id;
}

export function insertTimeEntry(box: TestApp, orgId: string, userId: string, date: string, minutes: number): void {
  box.deps.db
    .insert(timeEntries)
    .values({ id: newId("tim"), orgId, userId, date, minutes })
    .run();
}
