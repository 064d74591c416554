import { and, eq } from "drizzle-orm";
import type { ApprovalRequest } from "../../../models/approvals.ts";
import { invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { publishStatusChange } from "./events.ts";

/**
 * Called by the approvals service, inside its transaction, when an invoice's approval request
 * ends: approved → the invoice becomes `approved`; rejected or cancelled → back to `draft`.
 * An invoice that moved on meanwhile (voided) or belongs to another request is left alone.
 */
export function settleInvoiceApproval(
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: "approved" | "rejected" | "cancelled",
): void {
  const now = new Date();
  if (request.subjectType !== "invoice" || !request.subjectId) return;
  const invoice = tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.orgId, request.orgId), eq(invoices.id, request.subjectId)))
    .get();
  if (invoice?.status !== "pending_approval" || invoice.approvalRequestId !== request.id) return;
  const to = outcome === "approved" ? "approved" : "draft";
  tx.update(invoices).set({ status: to, updatedAt: now }).where(eq(invoices.id, invoice.id)).run();
  publishStatusChange(tx, { orgId: request.orgId, userId: ctx.userId }, invoice, invoice.status, to, now);
}
