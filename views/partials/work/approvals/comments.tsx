/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";
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
  const action = `/approvals/${props.requestId}/comments`;
  return (
    <section id="approval-comments" class="task-comments" aria-labelledby="comments-heading">
      <CommentList id="approval-comment-list" comments={props.comments} canComment={props.canComment} />
      {props.canComment ? (
        <form
          class="comment-form"
          method="post"
          action={action}
          hx-post={action}
          hx-target="#approval-comments"
          hx-swap="outerHTML"
        >
          <CsrfField token={props.csrf} />
          <label>
            Add a comment
            <textarea
              name="body"
              rows={3}
              maxlength={10_000}
              aria-invalid={props.error ? "true" : undefined}
              aria-describedby="approval-comment-help"
            >
              {props.draft}
            </textarea>
            <small id="approval-comment-help">
              {props.error ?? "Markdown works; @name tells that person. The requester and the approvers are notified."}
            </small>
          </label>
          <button type="submit">Comment</button>
        </form>
      ) : null}
    </section>
  );
}
