import type { ReplyTargets } from "./inbound-mail/replies.ts";
import { writeComment } from "./work/tasks/comments.ts";

const COMMENT_MAX = 10_000;

/**
 * Where e-mail replies to notifications go, handed to the inbound mail worker by main.ts (so
 * mail/ imports nothing of work/): a reply about a task becomes the replier's comment on it,
 * under the same rules as a comment typed in the console. Replies about approvals stay
 * documents until approvals take comments.
 */
export const inboundReplyTargets: ReplyTargets = {
  task: (tx, ctx, taskId, body) => writeComment(tx, ctx, taskId, { body: body.slice(0, COMMENT_MAX) }),
};
