/** @jsxImportSource hono/jsx */
import { CommentForm } from "../../../components/comment-form.tsx";
import type { CommentView } from "../../../pages/work/tasks/types.ts";
import { CommentList } from "../tasks/comments.tsx";

export type ApprovalCommentsProps = {
  requestId: string;
  comments: CommentView[];
  /** The requester, the request's approvers and pipeline managers (server/work/approvals/comments.ts). */
  canComment: boolean;
  csrf: string | null;
  /** What the person typed, kept when the comment was refused. */
  draft: string;
  error: string | null;
};

/**
 * A request's comment thread and the form that adds to it: htmx posts the form and swaps this
 * whole section with the answer (a refused comment comes back with its text and the reason).
 */
export function ApprovalComments(props: ApprovalCommentsProps) {
  return (
    <section id="approval-comments" class="task-comments" aria-labelledby="comments-heading">
      <CommentList id="approval-comment-list" comments={props.comments} canComment={props.canComment} />
      {props.canComment ? (
        <CommentForm
          action={`/approvals/${props.requestId}/comments`}
          target="#approval-comments"
          csrf={props.csrf}
          draft={props.draft}
          error={props.error}
          helpId="approval-comment-help"
          help="Markdown works; @name tells that person. The requester and whoever it waits on are told."
        />
      ) : null}
    </section>
  );
}
