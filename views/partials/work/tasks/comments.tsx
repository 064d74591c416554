/** @jsxImportSource hono/jsx */

import { CommentForm } from "../../../components/comment-form.tsx";
import type { CommentView } from "../../../pages/work/tasks/types.ts";
import { formatTime } from "./badges.tsx";

export type CommentsSectionProps = {
  taskId: string;
  comments: CommentView[];
  canComment: boolean;
  csrf: string | null;
  /** What the person typed, kept when the comment was refused. */
  draft: string;
  error: string | null;
};

/**
 * The comments of a task and the form that adds one. htmx posts the form and swaps this whole
 * section with the answer, so a new comment appears without a reload (and a refused one keeps its text).
 */
export function CommentsSection(props: CommentsSectionProps) {
  return (
    <section id="task-comments" class="task-comments" aria-labelledby="comments-heading">
      <CommentList comments={props.comments} canComment={props.canComment} />
      {props.canComment ? (
        <CommentForm
          action={`/tasks/${props.taskId}/comments`}
          target="#task-comments"
          csrf={props.csrf}
          draft={props.draft}
          error={props.error}
          helpId="comment-help"
          help="Markdown works: **bold**, lists, links."
        />
      ) : null}
    </section>
  );
}

/**
 * The heading and the comments, without the form: the task page's live stream replaces this
 * part alone when someone comments, so a comment being written keeps its text and focus.
 */
export function CommentList(props: Pick<CommentsSectionProps, "comments" | "canComment"> & { id?: string }) {
  return (
    <div id={props.id ?? "task-comment-list"}>
      <h2 id="comments-heading">
        Comments <small class="muted">({props.comments.length})</small>
      </h2>
      {props.comments.length === 0 ? (
        <p class="empty-state">No comments yet.{props.canComment ? " Ask a question or note progress below." : ""}</p>
      ) : (
        <ol class="comment-list">
          {props.comments.map((comment) => (
            <li class="comment" id={`comment-${comment.id}`}>
              <header>
                <strong>{comment.authorName}</strong>{" "}
                <time class="muted" datetime={comment.createdAt.toISOString()}>
                  {formatTime(comment.createdAt)}
                </time>
              </header>
              <div class="markdown" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
