import type { ApprovalRequest } from "../../../models/approvals.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { namesOf } from "../../members/directory.ts";

export type ApprovalEventType =
  | "approval.requested"
  | "approval.decided"
  | "approval.completed"
  | "approval.rejected"
  | "approval.cancelled"
  | "approval.nudged"
  | "approval.commented";

/**
 * Publishes one approval event in the caller's transaction. It is seen by whoever may read what
 * the request approves: invoices.manage for an invoice's, timesheets.approve for a timesheet's.
 */
export function publishApprovalEvent(
  db: Queryable,
  ctx: { orgId: string; userId: string | null },
  request: ApprovalRequest,
  event: { type: ApprovalEventType; summary: string; audience: (string | null)[]; data?: Record<string, unknown> },
) {
  publishEvent(db, ctx, {
    type: event.type,
    subjectType: "approval",
    subjectId: request.id,
    summary: event.summary,
    approves: request.subjectType,
    audience: event.audience,
    data: {
      title: request.title,
      subjectType: request.subjectType,
      subjectId: request.subjectId,
      status: request.status,
      currentStep: request.currentStep,
      ...event.data,
    },
  });
}

/** The acting person's name for an event's summary. */
export function nameOf(db: Queryable, orgId: string, userId: string | null): string {
  return (userId ? namesOf(db, orgId, [userId]).get(userId) : undefined) ?? "Someone";
}
