/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";

/** Approve or reject the current step with a comment; only current approvers see it. */
export function DecisionForm(props: { requestId: string; stepIndex: number; csrf: string | null; comment: string }) {
  const action = `/approvals/${props.requestId}/decide`;
  return (
    <form id="decision-form" class="decision-form" method="post" action={action} hx-post={action} hx-target="#main">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="stepIndex" value={String(props.stepIndex)} />
      <label>
        Comment
        <textarea name="comment" rows={3} maxlength={2000} placeholder="Why, or what to change (optional)">
          {props.comment}
        </textarea>
      </label>
      <div class="decision-buttons">
        <button type="submit" name="decision" value="approve">
          Approve
        </button>
        <button type="submit" name="decision" value="reject" class="secondary danger-outline">
          Reject
        </button>
      </div>
    </form>
  );
}

/** The requester's way out while the request is pending. */
export function CancelForm(props: { requestId: string; csrf: string | null }) {
  const action = `/approvals/${props.requestId}/cancel`;
  return (
    <form class="cancel-form" method="post" action={action} hx-post={action} hx-target="#main">
      <CsrfField token={props.csrf} />
      <button type="submit" class="secondary outline">
        Cancel this request
      </button>
    </form>
  );
}
