import { customers, invoices } from "../../../models/billing.ts";
import { equipment, projects, tasks } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { newId } from "../../tools/ids.ts";

/** Rows written straight into the tables: the FTS triggers index them like any other write. */
export function seedProject(box: TestApp, orgId: string, values: { name: string; code: string; description?: string }) {
  const id = newId("prj");
  box.deps.db
    .insert(projects)
    .values({ id, orgId, ...values })
    .run();
  return id;
}

export function seedTask(
  box: TestApp,
  orgId: string,
  values: { title: string; description?: string; labels?: string[]; projectId?: string },
) {
  const id = newId("tsk");
  box.deps.db
    .insert(tasks)
    .values({ id, orgId, lastActivityAt: new Date(), ...values })
    .run();
  return id;
}

export function seedCustomer(box: TestApp, orgId: string, values: { name: string; notes?: string; email?: string }) {
  const id = newId("cus");
  box.deps.db
    .insert(customers)
    .values({ id, orgId, currency: "EUR", ...values })
    .run();
  return id;
}

export function seedInvoice(
  box: TestApp,
  orgId: string,
  values: { number: string; customerId: string; notes?: string },
) {
  const id = newId("inv");
  box.deps.db
    .insert(invoices)
    .values({ id, orgId, currency: "EUR", issueDate: "2030-01-10", dueDate: "2030-02-09", ...values })
    .run();
  return id;
}

export function seedEquipment(
  box: TestApp,
  orgId: string,
  values: { name: string; manufacturer?: string; serialNumber?: string; notes?: string },
) {
  const id = newId("eqp");
  box.deps.db
    .insert(equipment)
    .values({ id, orgId, ...values })
    .run();
  return id;
}
