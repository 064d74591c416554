import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import {
  type ApprovalRequest,
  type ApprovalStepSpec,
  approvalDecisions,
  approvalRequests,
} from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { findMember, memberIdsWithRole } from "../../members/directory.ts";
import { activeMemberIdsAmong, approvalsOf, roleHolderIds } from "./approvers.ts";

/**
 * Who decides a step. A user step: that person. A role step: whoever holds the role when the
 * decision is made (not when the request started), so a new manager can pick up old requests.
 * The requester never counts: someone else must approve.
 */

/** Everyone who may decide `step` now, the requester left out. */
export function stepApproverIds(
  db: Queryable,
  orgId: string,
  step: ApprovalStepSpec,
  requesterId: string | null,
  holders: (role: string) => string[] = (role) => memberIdsWithRole(db, orgId, role),
  isMember: (userId: string) => boolean = (userId) => findMember(db, orgId, userId) !== null,
): string[] {
  let ids: string[] = [];
  if (step.approverType === "user" && step.approverUserId) {
    ids = isMember(step.approverUserId) ? [step.approverUserId] : [];
  } else if (step.approverType === "role" && step.approverRole) {
    ids = holders(step.approverRole);
  }
  return ids.filter((id) => id !== requesterId);
}

/** Who already approved step `stepIndex` of a request (only "all" steps can have some while pending). */
export function approvedAtStep(db: Queryable, requestId: string, stepIndex: number): Set<string> {
  const rows = db
    .select({ deciderId: approvalDecisions.deciderId })
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.requestId, requestId),
        eq(approvalDecisions.stepIndex, stepIndex),
        eq(approvalDecisions.decision, "approve"),
      ),
    )
    .all();
  return new Set(rows.map((row) => row.deciderId));
}

/** The people a pending request waits on now: its current step's approvers who have not approved yet. */
export function currentApproverIds(
  db: Queryable,
  orgId: string,
  request: Pick<ApprovalRequest, "id" | "status" | "steps" | "currentStep" | "requestedBy">,
): string[] {
  const step = request.status === "pending" ? request.steps[request.currentStep] : undefined;
  if (!step) return [];
  const approved = approvedAtStep(db, request.id, request.currentStep);
  return stepApproverIds(db, orgId, step, request.requestedBy).filter((id) => !approved.has(id));
}

/**
 * The same for a page of requests with few queries: one per distinct role, one for the people
 * the steps name and one for the approvals already given at the requests' current steps.
 */
export function currentApproverIdsOfMany(db: Queryable, orgId: string, requests: ApprovalRequest[]) {
  const pending = requests.filter((request) => request.status === "pending");
  const approvals = approvalsOf(
    db,
    pending.map((request) => request.id),
  );
  const roleHolders = new Map<string, string[]>();
  const holders = (role: string) => {
    const ids = roleHolders.get(role) ?? roleHolderIds(db, orgId, role);
    roleHolders.set(role, ids);
    return ids;
  };
  const named = pending.map((request) => request.steps[request.currentStep]?.approverUserId);
  const members = activeMemberIdsAmong(
    db,
    orgId,
    named.filter((id): id is string => typeof id === "string"),
  );
  const isMember = (userId: string) => members.has(userId);
  const result = new Map<string, string[]>();
  for (const request of pending) {
    const step = request.steps[request.currentStep];
    if (!step) continue;
    const approved = new Set(
      approvals
        .filter((row) => row.requestId === request.id && row.stepIndex === request.currentStep)
        .map((row) => row.deciderId),
    );
    const ids = stepApproverIds(db, orgId, step, request.requestedBy, holders, isMember);
    result.set(
      request.id,
      ids.filter((id) => !approved.has(id)),
    );
  }
  return result;
}

/** Whether `userId` with `role` is the approver of `step` (before the requester rule is applied). */
export function holdsStep(step: ApprovalStepSpec, userId: string, role: string | null): boolean {
  if (step.approverType === "user") return step.approverUserId === userId;
  return role !== null && step.approverRole === role;
}

/** A value written into SQL, or a placeholder for it in a prepared query (list-query.ts). */
type SqlValue<T> = T | Placeholder;

/** SQL: one of the request's steps names this person or their role (they are among its approvers). */
function approverOfAnyStep(userId: SqlValue<string>, role: SqlValue<string | null>): SQL {
  return sql`exists (select 1 from json_each(${approvalRequests.steps}) as step where
    (json_extract(step.value, '$.approverType') = 'user' and json_extract(step.value, '$.approverUserId') = ${userId})
    or (json_extract(step.value, '$.approverType') = 'role' and json_extract(step.value, '$.approverRole') = ${role}))`;
}

/**
 * Subjects whose requests carry what only some may read: invoices (amounts owed by customers),
 * suppliers' bills (amounts owed to them) and timesheets (a person's weekly hours), as the
 * records themselves and the event feed do.
 */
const guardedSubjects = { invoice: "invoices.manage", bill: "bills.manage", timesheet: "timesheets.approve" } as const;

export function hiddenSubjects(ctx: Pick<ServiceContext, "permissions">): string[] {
  return Object.entries(guardedSubjects)
    .filter(([, permission]) => !ctx.permissions.has(permission))
    .map(([subject]) => subject);
}

/**
 * SQL: requests the caller may see. Invoice, bill and timesheet requests only to holders of the
 * permission that reads them, their requester and their approvers; everything else to the
 * whole workspace.
 */
export function visibleTo(
  ctx: ServiceContext,
  role: SqlValue<string | null>,
  userId: SqlValue<string> = ctx.userId,
): SQL | undefined {
  const hidden = hiddenSubjects(ctx);
  if (hidden.length === 0) return undefined;
  return sql`(${approvalRequests.subjectType} not in (${sql.join(
    hidden.map((subject) => sql`${subject}`),
    sql`, `,
  )}) or ${approvalRequests.requestedBy} = ${userId} or ${approverOfAnyStep(userId, role)})`;
}

/** Whether the caller may see one request: the same rule as `visibleTo`, in code. */
export function canSee(ctx: ServiceContext, role: string | null, request: ApprovalRequest): boolean {
  if (!hiddenSubjects(ctx).includes(request.subjectType)) return true;
  if (request.requestedBy === ctx.userId) return true;
  return request.steps.some((step) => holdsStep(step, ctx.userId, role));
}

/**
 * SQL: pending requests whose current step names this person or their role and that they have
 * not approved yet (their own requests left out).
 */
export function waitingOn(userId: SqlValue<string>, role: SqlValue<string | null>): SQL {
  const current = sql`'$[' || ${approvalRequests.currentStep} || ']'`;
  return sql`(${approvalRequests.status} = 'pending'
    and (${approvalRequests.requestedBy} is null or ${approvalRequests.requestedBy} <> ${userId})
    and ((json_extract(${approvalRequests.steps}, ${current} || '.approverType') = 'user'
          and json_extract(${approvalRequests.steps}, ${current} || '.approverUserId') = ${userId})
      or (json_extract(${approvalRequests.steps}, ${current} || '.approverType') = 'role'
          and json_extract(${approvalRequests.steps}, ${current} || '.approverRole') = ${role}))
    and not exists (select 1 from ${approvalDecisions} where ${approvalDecisions.requestId} = ${approvalRequests.id}
      and ${approvalDecisions.stepIndex} = ${approvalRequests.currentStep} and ${approvalDecisions.deciderId} = ${userId}))`;
}
