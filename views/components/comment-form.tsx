/** @jsxImportSource hono/jsx */
import { CsrfField } from "./csrf-field.tsx";

export type CommentFormProps = {
  /** Where the form posts; htmx swaps the answer into `target`. */
  action: string;
  target: string;
  csrf: string | null;
  /** What the person typed, kept when the comment was refused. */
  draft: string;
  error: string | null;
  /** The id of the help line, and what it says while there is no error. */
  helpId: string;
  help: string;
};

/** The "Add a comment" form of a comment thread (a task's, an approval request's). */
export function CommentForm(props: CommentFormProps) {
  return (
    <form
      class="comment-form"
      method="post"
      action={props.action}
      hx-post={props.action}
      hx-target={props.target}
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
          aria-describedby={props.helpId}
        >
          {props.draft}
        </textarea>
        <small id={props.helpId}>{props.error ?? props.help}</small>
      </label>
      <button type="submit">Comment</button>
    </form>
  );
}
