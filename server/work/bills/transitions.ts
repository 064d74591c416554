import { and, eq } from "drizzle-orm";
import type { ApprovalRequest } from "../../../models/approvals.ts";
import { type Bill, type BillStatus, billLines, billStatusLabels, bills } from "../../../models/bills.ts";
import type { ActorContext, ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { formatMoney } from "../../tools/money.ts";
import type { ApprovalOutcome } from "../approvals/settle.ts";
import { startApproval } from "../approvals/start-approval.ts";
import { type BillView, billOrNotFound } from "./bills.ts";
import { billTitle, recordBillEvent } from "./events.ts";

/**
 * The status machine: draft → pending_approval (send for approval) → approved or rejected (the
 * approval's outcome; a cancelled approval goes back to draft); approved → paid. Nothing else.
 */
const legalTransitions: Record<BillStatus, readonly BillStatus[]> = {
  draft: ["pending_approval"],
  pending_approval: ["approved", "rejected", "draft"],
  approved: ["paid"],
  rejected: [],
  paid: [],
};

function assertTransition(bill: Bill, to: BillStatus): void {
  if (legalTransitions[bill.status].includes(to)) return;
  throw new AppError(
    "conflict",
    `${billTitle(bill)} is ${billStatusLabels[bill.status].toLowerCase()} (status "${bill.status}") and cannot become ${billStatusLabels[to].toLowerCase()}.`,
    [{ path: "status", message: bill.status }],
  );
}

/** Moves the bill to `to`, guarded by its current status, and records the change as whoever acted. */
function moveBill(
  tx: DbTransaction,
  ctx: ActorContext,
  bill: Bill,
  to: BillStatus,
  now: Date,
  extra: Partial<Bill> = {},
) {
  assertTransition(bill, to);
  tx.update(bills)
    .set({ ...extra, status: to, updatedAt: now })
    .where(and(eq(bills.id, bill.id), eq(bills.status, bill.status)))
    .run();
  recordBillEvent(
    tx,
    ctx,
    bill,
    "bill.status_changed",
    `${billTitle(bill)}: ${billStatusLabels[bill.status]} → ${billStatusLabels[to]}`,
    { from: bill.status, to },
    now,
  );
}

function transition(ctx: ActorContext, id: string, change: (tx: DbTransaction, bill: Bill) => void): BillView {
  ctx.db.transaction((tx) => change(tx, billOrNotFound({ db: tx, orgId: ctx.orgId }, id).bill));
  return billOrNotFound(ctx, id);
}

/**
 * draft → pending_approval: starts an approval request (subject "bill") through the
 * organisation's pipeline for bills (or its pipeline for any request), in the same transaction.
 * 409 when the organisation has no such pipeline; 422 without lines.
 */
export function submitBill(ctx: ActorContext, id: string, now = new Date()): BillView {
  return transition(ctx, id, (tx, bill) => {
    assertTransition(bill, "pending_approval");
    if (!tx.select({ id: billLines.id }).from(billLines).where(eq(billLines.billId, id)).get()) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "lines", message: "Add at least one line before sending the bill for approval." },
      ]);
    }
    const request = startApproval(tx, ctx, {
      subjectType: "bill",
      subjectId: bill.id,
      title: billTitle(bill),
      amount: bill.total,
      currency: bill.currency,
      details: [
        bill.issueDate ? `Issued ${bill.issueDate}` : null,
        bill.dueDate ? `due ${bill.dueDate}` : null,
        `total ${formatMoney(bill.total, bill.currency)}`,
      ]
        .filter(Boolean)
        .join(", "),
    });
    moveBill(tx, ctx, bill, "pending_approval", now, { approvalRequestId: request.id });
  });
}

/** approved → paid. */
export function markBillPaid(ctx: ActorContext, id: string, now = new Date()): BillView {
  return transition(ctx, id, (tx, bill) => moveBill(tx, ctx, bill, "paid", now, { paidAt: now }));
}

/**
 * Called by the approvals service, inside its transaction, when a bill's approval ends:
 * approved → approved, rejected → rejected, cancelled → back to draft. A bill that belongs to
 * another request is left alone.
 */
export function settleBillApproval(
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: ApprovalOutcome,
): void {
  if (request.subjectType !== "bill" || !request.subjectId) return;
  const bill = tx
    .select()
    .from(bills)
    .where(and(eq(bills.orgId, request.orgId), eq(bills.id, request.subjectId)))
    .get();
  if (bill?.status !== "pending_approval" || bill.approvalRequestId !== request.id) return;
  const to: BillStatus = outcome === "approved" ? "approved" : outcome === "rejected" ? "rejected" : "draft";
  moveBill(tx, { ...ctx, orgId: request.orgId }, bill, to, new Date());
}
