/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, FormMessage, NewPasswordFields } from "./form-parts.tsx";

export type AcceptInvitationPageProps =
  | {
      state: "form";
      email: string;
      organizationName: string;
      roleName: string;
      minLength: number;
      csrf: string | null;
      errors?: FieldErrors;
    }
  | { state: "invalid" };

/** Joining an organisation from an invitation link: the person chooses their password. */
export function AcceptInvitationPage(props: AcceptInvitationPageProps) {
  if (props.state === "invalid") {
    return (
      <article class="auth-card">
        <header>
          <h1>Invitation</h1>
        </header>
        <FormMessage error="This invitation link is not valid any more: it was used, replaced or has expired. Ask the person who invited you for a new one." />
        <footer>
          <a href="/sign-in">Sign in</a>
        </footer>
      </article>
    );
  }
  return (
    <article class="auth-card">
      <header>
        <h1>Join {props.organizationName}</h1>
        <p>
          You are invited as <strong>{props.roleName}</strong>. Choose a password to finish setting up your account.
        </p>
      </header>
      <form
        method="post"
        action="/invitations/accept"
        hx-post="/invitations/accept"
        hx-target="#main"
        hx-swap="innerHTML"
        novalidate
      >
        <FormMessage error={props.errors?.token} />
        <CsrfField token={props.csrf} />
        <label>
          E-mail address
          <input type="email" name="username" value={props.email} autocomplete="username" readonly />
        </label>
        <NewPasswordFields label="Password" minLength={props.minLength} errors={props.errors} autofocus />
        <button type="submit">Join {props.organizationName}</button>
      </form>
    </article>
  );
}
