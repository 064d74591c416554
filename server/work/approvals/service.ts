import { and, asc, eq } from "drizzle-orm";
import {
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalSubjectType,
  approvalDecisions,
  approvalRequests,
} from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { namesOf, roleOf } from "../../members/directory.ts";
import { approvalListRows } from "./list-query.ts";
import { currentApproverIds, currentApproverIdsOfMany, visibleTo, waitingOn } from "./routing.ts";
import type { ApprovalListQuery, CreateApprovalInput } from "./schemas.ts";
import { startApproval } from "./start-approval.ts";

export { currentApproverIds } from "./routing.ts";

/** A request with who it waits on now and, for the single-request views, its decisions. */
export type ApprovalDetail = { request: ApprovalRequest; approverIds: string[]; decisions: ApprovalDecision[] };

/**
 * A request of the caller's organisation that the caller may see, or null: another
 * organisation's, and an invoice request the caller has no part in, are both "not found".
 * `within`: a transaction to read in, and the caller's role when it was read already.
 */
export function findApprovalById(
  ctx: ServiceContext,
  id: string,
  within: { db?: Queryable; role?: string | null } = {},
): ApprovalRequest | null {
  const db = within.db ?? ctx.db;
  const role = within.role === undefined ? roleOf(db, ctx.orgId, ctx.userId) : within.role;
  return (
    db
      .select()
      .from(approvalRequests)
      .where(and(eq(approvalRequests.id, id), eq(approvalRequests.orgId, ctx.orgId), visibleTo(ctx, role)))
      .get() ?? null
  );
}

/** findApprovalById, or a 404. */
export function approvalOrNotFound(
  ctx: ServiceContext,
  id: string,
  within: { db?: Queryable; role?: string | null } = {},
): ApprovalRequest {
  const request = findApprovalById(ctx, id, within);
  if (!request) throw notFound("approval request");
  return request;
}

export function decisionsOf(ctx: ServiceContext, requestId: string): ApprovalDecision[] {
  return ctx.db
    .select()
    .from(approvalDecisions)
    .where(and(eq(approvalDecisions.requestId, requestId), eq(approvalDecisions.orgId, ctx.orgId)))
    .orderBy(asc(approvalDecisions.id))
    .all();
}

/** One request with its current approvers and its decisions, or null when the caller may not see it. */
export function findApprovalDetail(ctx: ServiceContext, id: string): ApprovalDetail | null {
  const request = findApprovalById(ctx, id);
  if (!request) return null;
  return {
    request,
    approverIds: currentApproverIds(ctx.db, ctx.orgId, request),
    decisions: decisionsOf(ctx, request.id),
  };
}

/** The request with its approvers and decisions, or 404 "No such approval request." where the caller cannot see it. */
export function approvalDetailOrNotFound(ctx: ServiceContext, id: string): ApprovalDetail {
  const detail = findApprovalDetail(ctx, id);
  if (!detail) throw notFound("approval request");
  return detail;
}

/** A page of the requests the caller may see, newest first, with the filters of `GET /approvals`. */
export function listApprovals(
  ctx: ServiceContext,
  query: ApprovalListQuery,
): { data: { request: ApprovalRequest; approverIds: string[] }[]; nextCursor: string | null } {
  const page = listApprovalRequests(ctx, query);
  const approvers = currentApproverIdsOfMany(ctx.db, ctx.orgId, page.data);
  return {
    data: page.data.map((request) => ({ request, approverIds: approvers.get(request.id) ?? [] })),
    nextCursor: page.nextCursor,
  };
}

/** The same page without who each request waits on, for the console's list, which does not show it. */
export function listApprovalRequests(
  ctx: ServiceContext,
  query: ApprovalListQuery,
): { data: ApprovalRequest[]; nextCursor: string | null } {
  const role = roleOf(ctx.db, ctx.orgId, ctx.userId);
  const before = query.cursor === undefined ? null : decodeCursor(query.cursor, 1)[0];
  // Nothing waits on someone who may not decide (a viewer named in an old step, a narrow API key).
  if (query.waitingOn && !ctx.permissions.has("approvals.decide")) return { data: [], nextCursor: null };
  const rows = approvalListRows(ctx, role, query, before === null || before === undefined ? null : String(before));
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** Starts a purchase or free-form request through the organisation's pipeline (or the one named). */
export function createApprovalRequest(ctx: ServiceContext, input: CreateApprovalInput): ApprovalDetail {
  const request = ctx.db.transaction((tx) =>
    startApproval(tx, ctx, {
      subjectType: input.subjectType,
      subjectId: null,
      title: input.title,
      amount: input.amount ?? null,
      currency: input.currency ?? null,
      details: input.details,
      pipelineId: input.pipelineId ?? null,
    }),
  );
  return { request, approverIds: currentApproverIds(ctx.db, ctx.orgId, request), decisions: [] };
}

/** A pending request as the Pulse shows it under "Approvals waiting on me". */
export type WaitingApproval = {
  id: string;
  title: string;
  subjectType: ApprovalSubjectType;
  subjectId: string | null;
  amount: number | null;
  currency: string | null;
  requestedBy: string | null;
  requesterName: string | null;
  /** The name of the step the caller decides. */
  stepName: string;
  createdAt: Date;
  /** The request's console page. */
  href: string;
};

/** Pending requests where the caller is a current-step approver who has not approved yet, oldest first. */
export function listWaitingOnMe(ctx: ServiceContext, limit: number): WaitingApproval[] {
  if (!ctx.permissions.has("approvals.decide")) return [];
  const role = roleOf(ctx.db, ctx.orgId, ctx.userId);
  const rows = ctx.db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.orgId, ctx.orgId), waitingOn(ctx.userId, role)))
    .orderBy(asc(approvalRequests.id))
    .limit(limit)
    .all();
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    rows.map((row) => row.requestedBy),
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    amount: row.amount,
    currency: row.currency,
    requestedBy: row.requestedBy,
    requesterName: row.requestedBy ? (names.get(row.requestedBy) ?? null) : null,
    stepName: row.steps[row.currentStep]?.name ?? "",
    createdAt: row.createdAt,
    href: `/approvals/${row.id}`,
  }));
}
