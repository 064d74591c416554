import type {
  ApprovalDecision,
  ApprovalRequest,
  ApprovalStepSpec,
  ApprovalUrgency,
} from "../../../models/approvals.ts";
import { etagOf } from "../../http/etag.ts";
import { shownUrgency } from "./urgency.ts";

export type DecisionJson = {
  id: string;
  requestId: string;
  stepIndex: number;
  deciderId: string;
  decision: "approve" | "reject";
  comment: string;
  at: string;
};

export type ApprovalJson = {
  id: string;
  pipelineId: string;
  subjectType: ApprovalRequest["subjectType"];
  subjectId: string | null;
  title: string;
  amount: number | null;
  currency: string | null;
  details: string;
  status: ApprovalRequest["status"];
  steps: ApprovalStepSpec[];
  currentStep: number;
  currentApproverIds: string[];
  /** How urgent the approval nudger found the step it waits on; null when not ranked or no longer pending. */
  urgency: ApprovalUrgency | null;
  requestedBy: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  decisions?: DecisionJson[];
};

export function decisionJson(decision: ApprovalDecision): DecisionJson {
  return {
    id: decision.id,
    requestId: decision.requestId,
    stepIndex: decision.stepIndex,
    deciderId: decision.deciderId,
    decision: decision.decision,
    comment: decision.comment,
    at: decision.createdAt.toISOString(),
  };
}

/** A request as the API answers it; `decisions` only on the single-request answers. */
export function approvalJson(
  request: ApprovalRequest,
  approverIds: string[],
  decisions?: ApprovalDecision[],
): ApprovalJson {
  return {
    id: request.id,
    pipelineId: request.pipelineId,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    title: request.title,
    amount: request.amount,
    currency: request.currency,
    details: request.details,
    status: request.status,
    steps: request.steps,
    currentStep: request.currentStep,
    currentApproverIds: approverIds,
    urgency: shownUrgency(request),
    requestedBy: request.requestedBy,
    completedAt: request.completedAt?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    ...(decisions ? { decisions: decisions.map(decisionJson) } : {}),
  };
}

export function approvalEtag(json: ApprovalJson): string {
  return etagOf(json);
}
