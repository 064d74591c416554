import { type InvoiceStatus, invoices } from "../../../models/billing.ts";
import { timeEntries } from "../../../models/time.ts";
import { type TaskStatus, tasks, teamMembers, teams } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { newId } from "../../tools/ids.ts";

/** Rows written straight into the tables, for reports with exact figures. */
export function seedTime(
  box: TestApp,
  orgId: string,
  values: { userId: string; date: string; minutes: number; projectId?: string | null; billable?: boolean },
) {
  box.deps.db
    .insert(timeEntries)
    .values({ id: newId("tem"), orgId, ...values })
    .run();
}

let invoiceNumber = 0;
export function seedIssuedInvoice(
  box: TestApp,
  orgId: string,
  values: { customerId: string; currency: string; issueDate: string; status: InvoiceStatus; total: number },
) {
  invoiceNumber += 1;
  box.deps.db
    .insert(invoices)
    .values({
      id: newId("inv"),
      orgId,
      number: `INV-${String(invoiceNumber).padStart(4, "0")}`,
      dueDate: values.issueDate,
      subtotal: values.total,
      ...values,
    })
    .run();
}

export function seedCompletedTask(box: TestApp, orgId: string, completedAt: Date, status: TaskStatus = "done") {
  box.deps.db
    .insert(tasks)
    .values({ id: newId("tsk"), orgId, title: "Done thing", status, completedAt, lastActivityAt: completedAt })
    .run();
}

export function seedTeam(box: TestApp, orgId: string, leadId: string, memberIds: string[]) {
  const teamId = newId("tem");
  box.deps.db
    .insert(teams)
    .values({ id: teamId, orgId, name: `Team ${teamId.slice(-4)}`, leadId })
    .run();
  for (const userId of memberIds) box.deps.db.insert(teamMembers).values({ teamId, userId, orgId }).run();
}

/** RFC 4180 CSV into rows of cells (quoted cells, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      index += 1;
    } else cell += char;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  return rows;
}
