import type { ApprovalRequest, ApprovalStepSpec, ApprovalSubjectType } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/context.ts";
import type { DbTransaction } from "../../db.ts";
import { AppError } from "../../http/errors.ts";

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
 * the same one). Throws `AppError("conflict")` when no pipeline fits the subject.
 */
export function startApproval(_tx: DbTransaction, _ctx: ServiceContext, _input: StartApprovalInput): ApprovalRequest {
  throw new AppError("unavailable", "Approvals are being built.");
}
