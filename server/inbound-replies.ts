import type { ReplyTargets } from "./inbound-mail/replies.ts";
import { writeApprovalComment } from "./work/approvals/comments.ts";
import { writeComment } from "./work/tasks/comments.ts";

const COMMENT_MAX = 10_000;

/**
 * Where e-mail replies to notifications go, handed to the inbound mail worker by main.ts (so
 * mail/ imports nothing of work/): a reply about a task or an approval request becomes the
 * replier's comment on it, under the same rules as a comment typed in the console (one who may no
 * longer see the request, or may not comment on it, gets an AppError, and the mail stays a document).
 */
export const inboundReplyTargets: ReplyTargets = {
  task: (tx, ctx, taskId, body) => writeComment(tx, ctx, taskId, { body: body.slice(0, COMMENT_MAX) }),
  approval: (tx, ctx, requestId, body) =>
    writeApprovalComment(tx, ctx, requestId, { body: body.slice(0, COMMENT_MAX) }),
};
