import { agentLabel } from "../../../models/agents.ts";
import {
  type ApprovalRequest,
  type ApprovalStepSpec,
  type ApprovalSubjectType,
  approvalRequests,
} from "../../../models/approvals.ts";
import type { ActorContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { newId } from "../../tools/ids.ts";
import { nameOf, publishApprovalEvent } from "./events.ts";
import { choosePipeline } from "./pipelines.ts";
import { currentApproverIds } from "./routing.ts";

export type StartApprovalInput = {
  subjectType: ApprovalSubjectType;
  /** The invoice/timesheet/document id; null for purchases and free-form requests. */
  subjectId: string | null;
  title: string;
  amount?: number | null;
  currency?: string | null;
  details?: string;
  /** A pipeline of this organisation; omitted = the organisation's pipeline for this subject type. */
  pipelineId?: string | null;
  /**
   * Lets the subject route a step itself (a timesheet's `team_lead` step goes to the submitter's
   * own team lead): called once per pipeline step, returns the step to record.
   */
  resolveStep?: (step: ApprovalStepSpec) => ApprovalStepSpec;
};

/**
 * Starts an approval request inside the caller's transaction (the subject's status changes in
 * the same one), by a person or an agent. Throws `AppError("conflict")` when no pipeline fits the subject.
 */
export function startApproval(tx: DbTransaction, ctx: ActorContext, input: StartApprovalInput): ApprovalRequest {
  const pipeline = choosePipeline(tx, ctx.orgId, input.subjectType, input.pipelineId);
  // A snapshot: later edits of the pipeline do not reroute requests already under way.
  const steps = pipeline.steps.map((step) => (input.resolveStep ? input.resolveStep({ ...step }) : { ...step }));
  const now = new Date();
  const request = tx
    .insert(approvalRequests)
    .values({
      id: newId("apr", now.getTime()),
      orgId: ctx.orgId,
      pipelineId: pipeline.id,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      title: input.title,
      amount: input.amount ?? null,
      currency: input.amount === null || input.amount === undefined ? null : (input.currency ?? null),
      details: input.details ?? "",
      steps,
      status: "pending",
      currentStep: 0,
      requestedBy: ctx.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  publishApprovalEvent(tx, ctx, request, {
    type: "approval.requested",
    summary: `${ctx.agentId ? agentLabel(ctx.agentId) : nameOf(tx, ctx.orgId, ctx.userId)} asked for approval of “${request.title}”`,
    audience: currentApproverIds(tx, ctx.orgId, request),
    data: {
      pipelineId: pipeline.id,
      stepName: steps[0]?.name ?? null,
      ...(ctx.agentId ? { agentId: ctx.agentId } : {}),
    },
  });
  return request;
}
