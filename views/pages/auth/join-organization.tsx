/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "./form-parts.tsx";

export type JoinOrganizationPageProps =
  | { state: "invalid" }
  | { state: "sign_in"; email: string; organizationName: string }
  | { state: "wrong_account"; email: string; organizationName: string; csrf: string | null }
  | { state: "confirm"; email: string; organizationName: string; roleName: string; csrf: string | null };

const DEAD_LINK =
  "This invitation link is not valid any more: it was used, replaced, declined, withdrawn or has expired. Ask the organisation for a new one.";

/**
 * An invitation for an account that already exists: the person answers it signed in as
 * themselves, so the page asks them to sign in first, or to switch accounts.
 */
export function JoinOrganizationPage(props: JoinOrganizationPageProps) {
  if (props.state === "invalid") {
    return (
      <article class="auth-card">
        <header>
          <h1>Invitation</h1>
        </header>
        <FormMessage error={DEAD_LINK} />
        <footer>
          <a href="/">Back to Opsbox</a>
        </footer>
      </article>
    );
  }
  if (props.state === "sign_in") {
    return (
      <article class="auth-card">
        <header>
          <h1>Join {props.organizationName}</h1>
          <p>
            This invitation is for the Opsbox account <strong>{props.email}</strong>. Sign in with it to accept or
            decline; this link keeps working in this browser for 30 minutes.
          </p>
        </header>
        <form method="get" action="/sign-in">
          <input type="hidden" name="next" value="/invitations/join" />
          <button type="submit">Sign in as {props.email}</button>
        </form>
      </article>
    );
  }
  if (props.state === "wrong_account") {
    return (
      <article class="auth-card">
        <header>
          <h1>Join {props.organizationName}</h1>
        </header>
        <FormMessage
          error={`This invitation is for ${props.email}, and you are signed in with another account. Sign out, then open the link again and sign in as ${props.email}.`}
        />
        <form method="post" action="/sign-out">
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Sign out
          </button>
        </form>
      </article>
    );
  }
  return (
    <article class="auth-card">
      <header>
        <h1>Join {props.organizationName}?</h1>
        <p>
          {props.organizationName} invites your account <strong>{props.email}</strong> as{" "}
          <strong>{props.roleName}</strong>. If you accept, its admins can see your name, e-mail address and whether you
          use two-factor authentication, and you can switch to it from the account menu. Your other organisations do not
          change.
        </p>
      </header>
      <div class="grid">
        <form method="post" action="/invitations/join/accept">
          <CsrfField token={props.csrf} />
          <button type="submit">Accept and join</button>
        </form>
        <form method="post" action="/invitations/join/decline">
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Decline
          </button>
        </form>
      </div>
    </article>
  );
}
