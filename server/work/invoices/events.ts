import type { Invoice, InvoiceStatus } from "../../../models/billing.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";

export const statusLabels: Record<InvoiceStatus, string> = {
  draft: "Draft",
  pending_approval: "Pending approval",
  approved: "Approved",
  sent: "Sent",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

/** `invoice.created`, `invoice.updated`, `invoice.deleted`: in the caller's transaction. */
export function publishInvoiceEvent(
  db: Queryable,
  actor: { orgId: string; userId: string | null },
  invoice: Pick<Invoice, "id" | "number" | "createdBy">,
  type: "invoice.created" | "invoice.updated" | "invoice.deleted" | "invoice.reminded",
  summary: string,
  data: Record<string, unknown>,
  now: Date,
): void {
  publishEvent(
    db,
    actor,
    {
      type,
      subjectType: "invoice",
      subjectId: invoice.id,
      summary,
      data: { number: invoice.number, ...data },
      audience: [invoice.createdBy],
    },
    now,
  );
}

/** `invoice.status_changed` with `from` and `to`. */
export function publishStatusChange(
  db: Queryable,
  actor: { orgId: string; userId: string | null },
  invoice: Pick<Invoice, "id" | "number" | "createdBy">,
  from: InvoiceStatus,
  to: InvoiceStatus,
  now: Date,
): void {
  publishEvent(
    db,
    actor,
    {
      type: "invoice.status_changed",
      subjectType: "invoice",
      subjectId: invoice.id,
      summary: `Invoice ${invoice.number}: ${statusLabels[from]} → ${statusLabels[to]}`,
      data: { number: invoice.number, from, to },
      audience: [invoice.createdBy],
    },
    now,
  );
}
