/**
 * Seeds a data directory for the lists benchmark (issue 4, "every list is fast on 100,000
 * rows"): the workspace benchmark's box (bench/seed-workspace.ts: 20 people, 100,000 tasks), then
 * in the same organisation as many projects, customers, invoices, time entries, equipment,
 * approval requests and domain events, each spread over the last year, in the same batched
 * transactions. Usage:
 *   OPSBOX_DATA_DIR=./bench-data bun bench/seed-lists.ts [--rows 100000] [--out FILE]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { and, eq, ne } from "drizzle-orm";
import {
  type ApprovalStatus,
  type ApprovalStepSpec,
  type ApprovalSubjectType,
  approvalPipelines,
  approvalRequests,
} from "../models/approvals.ts";
import { customers, type InvoiceStatus, invoices } from "../models/billing.ts";
import { domainEvents } from "../models/events.ts";
import { memberships } from "../models/identity.ts";
import { timeEntries } from "../models/time.ts";
import { type EquipmentStatus, equipment, type ProjectStatus, projects } from "../models/work.ts";
import { withCliContext } from "../server/cli-context.ts";
import { newId } from "../server/tools/ids.ts";
import { insertInBatches, type SeedCredentials, seedWorkspace, spreadOverYear } from "./seed-workspace.ts";

export type ListsCredentials = SeedCredentials & {
  rows: number;
  /** A customer with invoices, for the customer filter. */
  customerId: string;
};

const PROJECT_STATUSES: ProjectStatus[] = ["active", "active", "on_hold", "archived"];
const INVOICE_STATUSES: InvoiceStatus[] = ["draft", "pending_approval", "approved", "sent", "paid", "overdue", "void"];
const EQUIPMENT_STATUSES: EquipmentStatus[] = ["in_service", "in_service", "in_repair", "out_of_service", "retired"];
const APPROVAL_STATUSES: ApprovalStatus[] = ["pending", "approved", "rejected", "cancelled"];
const SUBJECTS: ApprovalSubjectType[] = ["purchase", "other"];
const TYPES = ["boiler", "van", "laptop", "pump", "ladder", "drill", "printer", "generator"];
const LOCATIONS = ["Depot", "Office", "Site A", "Site B", "Workshop", "Warehouse"];
const EVENT_TYPES = ["task.created", "task.updated", "invoice.sent", "approval.decided", "time_entry.created"];

export async function seedLists(rowCount: number): Promise<ListsCredentials> {
  const credentials = await seedWorkspace(rowCount);
  return withCliContext(({ db }) => {
    const { orgId } = credentials;
    const people = db
      .select({ id: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), ne(memberships.role, "admin")))
      .all()
      .map((row) => row.id);
    const person = (index: number) => people[index % people.length] ?? credentials.userId;
    const now = Date.now();
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);

    // The workspace's 10 projects (all the tasks) were created now: the newest, so the first page.
    const more = Math.max(0, rowCount - 10);
    const projectIds: string[] = [];
    insertInBatches(db, projects, more, "projects", (index) => {
      const created = spreadOverYear(index, more, now - 86_400_000);
      const id = newId("prj", created);
      projectIds.push(id);
      return {
        id,
        orgId,
        name: `Listed project ${index + 1}`,
        code: `L-${index + 1}`,
        status: PROJECT_STATUSES[index % PROJECT_STATUSES.length] ?? "active",
        ownerId: person(index),
        startDate: day(created),
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    const customerIds: string[] = [];
    insertInBatches(db, customers, rowCount, "customers", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      const id = newId("cus", created);
      customerIds.push(id);
      return {
        id,
        orgId,
        name: `Customer ${String((index * 7919) % rowCount).padStart(6, "0")} ${TYPES[index % TYPES.length]}`,
        email: `billing${index}@customer.test`,
        currency: "EUR",
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    // Invoices to the newest customers: a customer with some invoices to filter on.
    insertInBatches(db, invoices, rowCount, "invoices", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      const subtotal = 10_000 + (index % 900) * 100;
      return {
        id: newId("inv", created),
        orgId,
        number: `INV-B-${String(index + 1).padStart(6, "0")}`,
        customerId: customerIds[customerIds.length - 1 - (index % 1000)] ?? "",
        currency: "EUR",
        issueDate: day(created),
        dueDate: day(created + 30 * 86_400_000),
        status: INVOICE_STATUSES[index % INVOICE_STATUSES.length] ?? "draft",
        subtotal,
        tax: subtotal / 5,
        total: subtotal + subtotal / 5,
        createdBy: credentials.userId,
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    insertInBatches(db, timeEntries, rowCount, "time entries", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      return {
        id: newId("tim", created),
        orgId,
        userId: person(index),
        date: day(created),
        minutes: 15 + (index % 16) * 15,
        projectId: credentials.projectId,
        note: `Seeded entry ${index + 1}`,
        billable: index % 2 === 0,
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    insertInBatches(db, equipment, rowCount, "equipment", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      return {
        id: newId("eqp", created),
        orgId,
        name: `${TYPES[index % TYPES.length]} ${index + 1}`,
        type: TYPES[index % TYPES.length] ?? "",
        manufacturer: `Maker ${index % 40}`,
        model: `M-${index % 300}`,
        serialNumber: `SN${String(index).padStart(8, "0")}`,
        location: LOCATIONS[index % LOCATIONS.length] ?? "",
        status: EQUIPMENT_STATUSES[index % EQUIPMENT_STATUSES.length] ?? "in_service",
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    const pipelineId = newId("apl");
    db.insert(approvalPipelines).values({ id: pipelineId, orgId, name: "Bench purchases", subjectType: null }).run();
    const managerStep: ApprovalStepSpec = {
      name: "Manager",
      approverType: "role",
      approverUserId: null,
      approverRole: "manager",
      rule: "any",
    };
    insertInBatches(db, approvalRequests, rowCount, "approval requests", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      const status = APPROVAL_STATUSES[index % APPROVAL_STATUSES.length] ?? "pending";
      // A third of the pending ones wait on the manager by name, a third by role, a third on someone else.
      const step: ApprovalStepSpec =
        index % 3 === 0
          ? managerStep
          : {
              name: "Named approver",
              approverType: "user",
              approverUserId: index % 3 === 1 ? credentials.userId : person(index + 1),
              approverRole: null,
              rule: "any",
            };
      return {
        id: newId("apr", created),
        orgId,
        pipelineId,
        subjectType: SUBJECTS[index % SUBJECTS.length] ?? "other",
        title: `Buy ${TYPES[index % TYPES.length]} #${index + 1}`,
        amount: 5_000 + (index % 100) * 250,
        currency: "EUR",
        steps: [step],
        status,
        currentStep: status === "pending" ? 0 : 1,
        requestedBy: person(index + 2),
        completedAt: status === "pending" ? null : new Date(created + 86_400_000),
        createdAt: new Date(created),
        updatedAt: new Date(created),
      };
    });

    insertInBatches(db, domainEvents, rowCount, "events", (index) => {
      const created = spreadOverYear(index, rowCount, now);
      const type = EVENT_TYPES[index % EVENT_TYPES.length] ?? "task.updated";
      return {
        orgId,
        type,
        subjectType: type.split(".")[0] ?? "task",
        subjectId: `tsk_seeded${index}`,
        actorId: person(index),
        permission: type.startsWith("invoice.") ? "invoices.manage" : null,
        audience: [person(index)],
        summary: `Seeded event ${index + 1}`,
        data: { index },
        createdAt: new Date(created),
      };
    });

    return { ...credentials, rows: rowCount, customerId: customerIds[customerIds.length - 1] ?? "" };
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { rows: { type: "string", default: "100000" }, out: { type: "string" } },
  });
  const count = Number(values.rows);
  if (!Number.isInteger(count) || count < 10) throw new Error("--rows must be a whole number of at least 10");
  const credentials = await seedLists(count);
  const text = `${JSON.stringify(credentials, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, text, { mode: 0o600 });
  else process.stdout.write(text);
}
