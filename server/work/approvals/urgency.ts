import { and, eq, inArray, max } from "drizzle-orm";
import {
  type ApprovalRequest,
  type ApprovalUrgency,
  approvalDecisions,
  approvalRequests,
} from "../../../models/approvals.ts";
import { recordAudit } from "../../audit/service.ts";
import { type ActorContext, actorOf } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { publishApprovalEvent } from "./events.ts";

/** The organisation's pending requests with when their current step began waiting. */
export function listPendingSteps(db: Queryable, orgId: string): { request: ApprovalRequest; waitingSince: Date }[] {
  const pending = db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.orgId, orgId), eq(approvalRequests.status, "pending")))
    .all();
  if (pending.length === 0) return [];
  // A step begins when the one before it is decided: the latest decision of an earlier step.
  const moved = new Map<string, { step: number; at: Date }[]>();
  const rows = db
    .select({
      requestId: approvalDecisions.requestId,
      stepIndex: approvalDecisions.stepIndex,
      at: max(approvalDecisions.createdAt),
    })
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.orgId, orgId),
        inArray(
          approvalDecisions.requestId,
          pending.map((request) => request.id),
        ),
      ),
    )
    .groupBy(approvalDecisions.requestId, approvalDecisions.stepIndex)
    .all();
  for (const row of rows) {
    if (!row.at) continue;
    moved.set(row.requestId, [...(moved.get(row.requestId) ?? []), { step: row.stepIndex, at: row.at }]);
  }
  return pending.map((request) => {
    const earlier = (moved.get(request.id) ?? []).filter((row) => row.step < request.currentStep);
    const since = earlier.reduce((latest, row) => (row.at > latest ? row.at : latest), request.createdAt);
    return { request, waitingSince: since };
  });
}

/** The urgency the list shows: the nudger's, while the request still waits on the step it ranked. */
export function shownUrgency(
  request: Pick<ApprovalRequest, "status" | "urgency" | "urgencyStep" | "currentStep">,
): ApprovalUrgency | null {
  return request.status === "pending" && request.urgencyStep === request.currentStep ? request.urgency : null;
}

/**
 * Records (in the caller's transaction `db`) how urgent a waiting step has become and that its approvers were reminded: the
 * request's urgency, an audit entry and an `approval.nudged` event, as the acting agent or
 * person. Needs `workspace.read` (it changes no decision, only says that one is late).
 */
export function markApprovalUrgency(
  db: Queryable,
  ctx: ActorContext,
  request: ApprovalRequest,
  nudge: { urgency: ApprovalUrgency; hours: number; told: string[] },
  now: Date,
): void {
  if (!ctx.permissions.has("workspace.read")) throw new AppError("forbidden", "Marking urgency needs workspace.read.");
  db.update(approvalRequests)
    .set({ urgency: nudge.urgency, urgencyStep: request.currentStep })
    .where(and(eq(approvalRequests.orgId, ctx.orgId), eq(approvalRequests.id, request.id)))
    .run();
  recordAudit(
    db,
    {
      orgId: ctx.orgId,
      action: "approval.nudged",
      ...actorOf(ctx),
      targetType: "approval",
      targetId: request.id,
      details: { urgency: nudge.urgency, hours: nudge.hours, step: request.currentStep, told: nudge.told.length },
      meta: ctx.meta,
    },
    now,
  );
  publishApprovalEvent(db, ctx, request, {
    type: "approval.nudged",
    summary: `“${request.title}” has waited ${nudge.hours} h: urgency ${nudge.urgency}`,
    audience: nudge.told,
    data: { urgency: nudge.urgency, hours: nudge.hours, agentId: ctx.agentId ?? null },
  });
}
