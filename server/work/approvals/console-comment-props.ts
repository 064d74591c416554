import type { ApprovalRequest } from "../../../models/approvals.ts";
import type { ApprovalCommentsProps } from "../../../views/partials/work/approvals/comments.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { namesOf, roleOf } from "../../members/directory.ts";
import { renderMarkdown } from "../../tools/markdown.ts";
import { listApprovalComments, mayCommentOn } from "./comments.ts";

const SHOWN = 200;

/** The comment thread of a request page, for the page and the comment form's answer. */
export function approvalCommentsProps(
  ctx: ServiceContext,
  csrf: string | null,
  request: ApprovalRequest,
  typed: { draft: string; error: string | null } = { draft: "", error: null },
): ApprovalCommentsProps {
  const comments = listApprovalComments(ctx, request.id, { limit: SHOWN }).data;
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    comments.map((comment) => comment.authorId),
  );
  return {
    requestId: request.id,
    comments: comments.map((comment) => ({
      id: comment.id,
      authorName: comment.authorId ? (names.get(comment.authorId) ?? "Someone") : "Opsbox",
      createdAt: comment.createdAt,
      bodyHtml: renderMarkdown(comment.body),
    })),
    canComment: mayCommentOn(ctx, request, roleOf(ctx.db, ctx.orgId, ctx.userId)),
    csrf,
    ...typed,
  };
}
