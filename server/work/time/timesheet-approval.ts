import { and, eq } from "drizzle-orm";
import type { ApprovalRequest } from "../../../models/approvals.ts";
import { timesheets } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { namesOf } from "../../members/directory.ts";

/**
 * Called by the approvals service, inside its transaction, when a timesheet's approval request
 * ends: approved → the week is `approved` (locked); rejected or cancelled → `rejected` (editable
 * again). A request the sheet no longer waits on (reopened and submitted anew) changes nothing.
 */
export function settleTimesheetApproval(
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: "approved" | "rejected" | "cancelled",
): void {
  if (request.subjectType !== "timesheet" || !request.subjectId) return;
  const sheet = tx
    .select()
    .from(timesheets)
    .where(and(eq(timesheets.orgId, request.orgId), eq(timesheets.id, request.subjectId)))
    .get();
  if (!sheet || sheet.approvalRequestId !== request.id || sheet.status !== "submitted") return;
  const status = outcome === "approved" ? "approved" : "rejected";
  const now = new Date();
  tx.update(timesheets).set({ status, decidedAt: now, updatedAt: now }).where(eq(timesheets.id, sheet.id)).run();
  const name = namesOf(tx, sheet.orgId, [sheet.userId]).get(sheet.userId) ?? "Someone";
  const verb = outcome === "approved" ? "approved" : outcome === "rejected" ? "rejected" : "withdrawn from approval";
  publishEvent(
    tx,
    { orgId: request.orgId, userId: ctx.userId },
    {
      type: outcome === "approved" ? "timesheet.approved" : "timesheet.rejected",
      subjectType: "timesheet",
      subjectId: sheet.id,
      summary: `The timesheet of ${name} for the week of ${sheet.weekStart} was ${verb}`,
      data: { userId: sheet.userId, weekStart: sheet.weekStart, approvalRequestId: request.id, outcome },
      audience: [sheet.userId],
    },
  );
}
