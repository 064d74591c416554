import type { ApprovalRequest, ApprovalSubjectType } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";

export type ApprovalOutcome = "approved" | "rejected" | "cancelled";

/** What a subject's own module does when its approval ends, inside the approval's transaction. */
export type SubjectSettler = (
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: ApprovalOutcome,
) => void;

const registered = new Map<ApprovalSubjectType, Set<SubjectSettler>>();

/**
 * Registers a settle function for a subject type: each subject's module at start
 * (server/work/approval-subjects.ts), a spy in tests. Answers a function that removes it again.
 */
export function registerSubjectSettler(subjectType: ApprovalSubjectType, settler: SubjectSettler): () => void {
  const settlers = registered.get(subjectType) ?? new Set<SubjectSettler>();
  settlers.add(settler);
  registered.set(subjectType, settlers);
  return () => {
    settlers.delete(settler);
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
  for (const settler of registered.get(request.subjectType) ?? []) settler(tx, ctx, request, outcome);
}
