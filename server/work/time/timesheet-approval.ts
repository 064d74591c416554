import type { ApprovalRequest } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/context.ts";
import type { DbTransaction } from "../../db.ts";

/**
 * Called by the approvals service, inside its transaction, when a timesheet's approval request
 * ends: approved → the week is `approved` (locked); rejected → `rejected` (editable again).
 */
export function settleTimesheetApproval(
  _tx: DbTransaction,
  _ctx: ServiceContext,
  _request: ApprovalRequest,
  _outcome: "approved" | "rejected" | "cancelled",
): void {}
