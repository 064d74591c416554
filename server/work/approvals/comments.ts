import { and, asc, eq, gt } from "drizzle-orm";
import { type ApprovalComment, type ApprovalRequest, approvalComments } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { cursorId, pageOf } from "../../http/cursor.ts";
import { AppError } from "../../http/errors.ts";
import { roleOf } from "../../members/directory.ts";
import { sequentialId } from "../../tools/sequential-id.ts";
import { nameOf, publishApprovalEvent } from "./events.ts";
import { currentApproverIds, holdsStep } from "./routing.ts";
import type { ApprovalCommentInput } from "./schemas.ts";
import { approvalOrNotFound } from "./service.ts";

export type ApprovalCommentJson = {
  id: string;
  requestId: string;
  authorId: string | null;
  body: string;
  createdAt: string;
};

export function approvalCommentJson(comment: ApprovalComment): ApprovalCommentJson {
  return {
    id: comment.id,
    requestId: comment.requestId,
    authorId: comment.authorId,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
  };
}

/**
 * Who may comment on a request they can see: its requester, anyone its steps name (the person,
 * or a holder of the role), and those who manage approval pipelines (`projects.manage`). Others
 * who can see it (the rest of the workspace, for a purchase) read the thread but do not write.
 */
export function mayCommentOn(ctx: ServiceContext, request: ApprovalRequest, role: string | null): boolean {
  if (!ctx.permissions.has("tasks.write")) return false;
  if (request.requestedBy === ctx.userId || ctx.permissions.has("projects.manage")) return true;
  return request.steps.some((step) => holdsStep(step, ctx.userId, role));
}

/** Adds a comment to a request; see `mayCommentOn`. */
export function addApprovalComment(ctx: ServiceContext, requestId: string, input: ApprovalCommentInput) {
  return ctx.db.transaction((tx) => writeApprovalComment(tx, ctx, requestId, input));
}

/**
 * addApprovalComment inside the caller's transaction (an e-mail reply records its message with
 * it). The `approval.commented` event goes to the requester and the people the request waits on
 * now; the notifier adds whoever the comment mentions.
 */
export function writeApprovalComment(
  tx: DbTransaction,
  ctx: ServiceContext,
  requestId: string,
  input: ApprovalCommentInput,
  now = new Date(),
): ApprovalComment {
  const role = roleOf(tx, ctx.orgId, ctx.userId);
  const request = approvalOrNotFound(ctx, requestId, { db: tx, role });
  if (!mayCommentOn(ctx, request, role)) {
    throw new AppError(
      "forbidden",
      "Only the requester, the request's approvers and people who manage approval pipelines can comment on it.",
    );
  }
  const comment = tx
    .insert(approvalComments)
    .values({
      id: sequentialId("apc", now.getTime()),
      orgId: ctx.orgId,
      requestId: request.id,
      authorId: ctx.userId,
      body: input.body,
      createdAt: now,
    })
    .returning()
    .get();
  publishApprovalEvent(tx, ctx, request, {
    type: "approval.commented",
    summary: `${nameOf(tx, ctx.orgId, ctx.userId)} commented on “${request.title}”`,
    audience: [request.requestedBy, ...currentApproverIds(tx, ctx.orgId, request)],
    data: { commentId: comment.id },
  });
  return comment;
}

/** A request's comments, oldest first, keyset-paged by id; 404 where the caller cannot see the request. */
export function listApprovalComments(
  ctx: ServiceContext,
  requestId: string,
  page: { limit: number; cursor?: string | undefined },
): { data: ApprovalComment[]; nextCursor: string | null } {
  const request = approvalOrNotFound(ctx, requestId);
  const after = cursorId(page.cursor) ?? null;
  const rows = ctx.db
    .select()
    .from(approvalComments)
    .where(
      and(
        eq(approvalComments.orgId, ctx.orgId),
        eq(approvalComments.requestId, request.id),
        after ? gt(approvalComments.id, after) : undefined,
      ),
    )
    .orderBy(asc(approvalComments.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit, (row) => [row.id]);
}
