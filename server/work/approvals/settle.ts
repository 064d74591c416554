import type { ApprovalRequest, ApprovalSubjectType } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/context.ts";
import type { DbTransaction } from "../../db.ts";
import { settleDocumentApproval } from "../../knowledge/approval.ts";
import { settleInvoiceApproval } from "../invoices/approval-subject.ts";
import { settleTimesheetApproval } from "../time/timesheet-approval.ts";

export type ApprovalOutcome = "approved" | "rejected" | "cancelled";

/** What a subject's own module does when its approval ends, inside the approval's transaction. */
export type SubjectSettler = (
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: ApprovalOutcome,
) => void;

const registered: Partial<Record<ApprovalSubjectType, SubjectSettler>> = {};

/**
 * Registers one more settle function for a subject type (a spy in tests). Answers a function
 * that removes it again.
 */
export function registerSubjectSettler(subjectType: ApprovalSubjectType, settler: SubjectSettler): () => void {
  registered[subjectType] = settler;
  return () => {
    if (registered[subjectType] === settler) delete registered[subjectType];
  };
}

/**
 * Lets the subject follow its approval's outcome (an approved invoice becomes approved), in the
 * approval's transaction: a throw rolls the whole decision back. Purchases and free-form
 * requests have no subject of their own.
 */
export function settleSubject(
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: ApprovalOutcome,
): void {
  // Looked up at call time, not in a table built at load: the subject modules import this one's neighbours.
  if (request.subjectType === "invoice") settleInvoiceApproval(tx, ctx, request, outcome);
  else if (request.subjectType === "timesheet") settleTimesheetApproval(tx, ctx, request, outcome);
  else if (request.subjectType === "document") settleDocumentApproval(tx, ctx, request, outcome);
  registered[request.subjectType]?.(tx, ctx, request, outcome);
}
