/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, FormMessage, NewPasswordFields } from "./form-parts.tsx";

export type ResetPasswordPageProps =
  | { state: "form"; email: string; minLength: number; csrf: string | null; errors?: FieldErrors }
  | { state: "invalid" }
  | { state: "done" };

/** Choosing a new password from a reset link; the password is never sent back. */
export function ResetPasswordPage(props: ResetPasswordPageProps) {
  return (
    <article class="auth-card">
      <header>
        <h1>Choose a new password</h1>
      </header>
      <ResetPasswordBody {...props} />
    </article>
  );
}

function ResetPasswordBody(props: ResetPasswordPageProps) {
  if (props.state === "invalid") {
    return (
      <>
        <FormMessage error="This reset link is not valid any more: it was used or has expired." />
        <p>
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      </>
    );
  }
  if (props.state === "done") {
    return (
      <>
        <FormMessage notice="Your password was changed, and every session of your account was signed out." />
        <p>
          <a href="/sign-in">Sign in with your new password</a>
        </p>
      </>
    );
  }
  return (
    <form
      method="post"
      action="/reset-password"
      hx-post="/reset-password"
      hx-target="#main"
      hx-swap="innerHTML"
      novalidate
    >
      <FormMessage error={props.errors?.token} />
      <CsrfField token={props.csrf} />
      <input type="hidden" name="username" value={props.email} autocomplete="username" />
      <p>
        For <strong>{props.email}</strong>.
      </p>
      <NewPasswordFields label="New password" minLength={props.minLength} errors={props.errors} autofocus />
      <button type="submit">Change password</button>
    </form>
  );
}
