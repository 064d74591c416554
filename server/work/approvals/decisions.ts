import { and, asc, eq, gt } from "drizzle-orm";
import {
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalStepSpec,
  approvalDecisions,
  approvalRequests,
} from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { roleOf } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import { nameOf, publishApprovalEvent } from "./events.ts";
import { roleNames } from "./pipeline-steps.ts";
import { approvedAtStep, currentApproverIds, holdsStep, stepApproverIds, visibleTo } from "./routing.ts";
import type { DecisionInput } from "./schemas.ts";
import { settleSubject } from "./settle.ts";

function findForChange(tx: DbTransaction, ctx: ServiceContext, id: string): ApprovalRequest {
  const request = tx
    .select()
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.id, id),
        eq(approvalRequests.orgId, ctx.orgId),
        visibleTo(ctx, roleOf(tx, ctx.orgId, ctx.userId)),
      ),
    )
    .get();
  if (!request) throw notFound("approval request");
  if (request.status !== "pending") {
    throw new AppError("conflict", `This request is already ${request.status}; it takes no more decisions.`);
  }
  return request;
}

/** Who decides a step, in words: "Ada Admin", "any one Manager", "every Manager". */
function describeApprover(tx: DbTransaction, orgId: string, step: ApprovalStepSpec): string {
  if (step.approverType === "user") return nameOf(tx, orgId, step.approverUserId);
  const role = roleNames(tx, orgId).get(step.approverRole ?? "") ?? step.approverRole ?? "";
  return step.rule === "all" ? `every ${role}` : `any one ${role}`;
}

function assertMayDecide(tx: DbTransaction, ctx: ServiceContext, request: ApprovalRequest, step: ApprovalStepSpec) {
  if (request.requestedBy === ctx.userId) {
    throw new AppError(
      "forbidden",
      "You asked for this approval, so someone else must approve it. Cancel it instead if it is no longer needed.",
    );
  }
  const already = tx
    .select({ id: approvalDecisions.id })
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.requestId, request.id),
        eq(approvalDecisions.stepIndex, request.currentStep),
        eq(approvalDecisions.deciderId, ctx.userId),
      ),
    )
    .get();
  if (already) throw new AppError("conflict", "You already decided this step; it waits on the other approvers.");
  if (!ctx.permissions.has("approvals.decide") || !holdsStep(step, ctx.userId, roleOf(tx, ctx.orgId, ctx.userId))) {
    throw new AppError(
      "forbidden",
      `You are not an approver of the current step (“${step.name}”): it is decided by ${describeApprover(tx, ctx.orgId, step)}.`,
    );
  }
}

/** Whether the current step is done once this approval is counted: any one approver, or every holder of the role now. */
function stepComplete(tx: DbTransaction, ctx: ServiceContext, request: ApprovalRequest, step: ApprovalStepSpec) {
  if (step.rule !== "all" || step.approverType === "user") return true;
  const approved = approvedAtStep(tx, request.id, request.currentStep);
  return stepApproverIds(tx, ctx.orgId, step, request.requestedBy).every((id) => approved.has(id));
}

/**
 * Records the caller's decision on the current step. Reject ends the request at once; approve
 * completes the step (any one approver, or all holders of the role) and moves on or completes
 * the request. The subject follows (settle) and the events go out in the same transaction.
 */
export function decideApproval(
  ctx: ServiceContext,
  id: string,
  input: DecisionInput,
  now = new Date(),
): { request: ApprovalRequest; decision: ApprovalDecision } {
  return ctx.db.transaction((tx) => {
    const request = findForChange(tx, ctx, id);
    if (input.stepIndex !== undefined && input.stepIndex !== request.currentStep) {
      throw new AppError(
        "conflict",
        `Step ${input.stepIndex + 1} was already decided; the request is now at step ${request.currentStep + 1}.`,
      );
    }
    const step = request.steps[request.currentStep];
    if (!step) throw new AppError("conflict", "This request has no step left to decide.");
    assertMayDecide(tx, ctx, request, step);
    const decision = tx
      .insert(approvalDecisions)
      .values({
        id: newId("apd", now.getTime()),
        orgId: ctx.orgId,
        requestId: request.id,
        stepIndex: request.currentStep,
        deciderId: ctx.userId,
        decision: input.decision,
        comment: input.comment,
        createdAt: now,
      })
      .returning()
      .get();
    const who = nameOf(tx, ctx.orgId, ctx.userId);
    const verb = input.decision === "approve" ? "approved" : "rejected";
    let changes: Partial<ApprovalRequest> = { updatedAt: now };
    let outcome: "approved" | "rejected" | null = null;
    if (input.decision === "reject") {
      changes = { ...changes, status: "rejected", completedAt: now };
      outcome = "rejected";
    } else if (stepComplete(tx, ctx, request, step)) {
      const next = request.currentStep + 1;
      changes = { ...changes, currentStep: next };
      if (next >= request.steps.length) {
        changes = { ...changes, status: "approved", completedAt: now };
        outcome = "approved";
      }
    }
    const updated = tx
      .update(approvalRequests)
      .set(changes)
      .where(and(eq(approvalRequests.id, request.id), eq(approvalRequests.orgId, ctx.orgId)))
      .returning()
      .get();
    const nextApprovers = currentApproverIds(tx, ctx.orgId, updated);
    publishApprovalEvent(tx, ctx, updated, {
      type: "approval.decided",
      summary: `${who} ${verb} “${updated.title}” (${step.name})${input.comment ? `: ${truncate(input.comment)}` : ""}`,
      audience: [updated.requestedBy, ...nextApprovers],
      data: { decision: input.decision, stepIndex: decision.stepIndex, stepName: step.name, comment: input.comment },
    });
    if (outcome) {
      settleSubject(tx, ctx, updated, outcome);
      publishApprovalEvent(tx, ctx, updated, {
        type: outcome === "approved" ? "approval.completed" : "approval.rejected",
        summary: outcome === "approved" ? `“${updated.title}” was approved` : `${who} rejected “${updated.title}”`,
        audience: [updated.requestedBy],
      });
    }
    return { request: updated, decision };
  });
}

/** The requester withdraws a pending request; the subject follows (an invoice goes back to draft). */
export function cancelApproval(ctx: ServiceContext, id: string, now = new Date()): ApprovalRequest {
  return ctx.db.transaction((tx) => {
    const request = findForChange(tx, ctx, id);
    if (request.requestedBy !== ctx.userId) {
      throw new AppError("forbidden", "Only the person who asked for this approval can cancel it.");
    }
    const waitingOn = currentApproverIds(tx, ctx.orgId, request);
    const updated = tx
      .update(approvalRequests)
      .set({ status: "cancelled", completedAt: now, updatedAt: now })
      .where(and(eq(approvalRequests.id, request.id), eq(approvalRequests.orgId, ctx.orgId)))
      .returning()
      .get();
    settleSubject(tx, ctx, updated, "cancelled");
    publishApprovalEvent(tx, ctx, updated, {
      type: "approval.cancelled",
      summary: `${nameOf(tx, ctx.orgId, ctx.userId)} cancelled the request “${updated.title}”`,
      audience: waitingOn,
    });
    return updated;
  });
}

/** A request's decisions in the order they were made, a page at a time. */
export function listDecisions(
  ctx: ServiceContext,
  requestId: string,
  query: { limit: number; cursor?: string | undefined },
): { data: ApprovalDecision[]; nextCursor: string | null } {
  const after = query.cursor === undefined ? null : String(decodeCursor(query.cursor, 1)[0]);
  const rows = ctx.db
    .select()
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.requestId, requestId),
        eq(approvalDecisions.orgId, ctx.orgId),
        after ? gt(approvalDecisions.id, after) : undefined,
      ),
    )
    .orderBy(asc(approvalDecisions.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
