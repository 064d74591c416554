/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, FormMessage, InputField } from "./form-parts.tsx";

export type ForgotPasswordPageProps = {
  email: string;
  /** True once a request was taken: the same answer whether or not the address has an account. */
  sent: boolean;
  csrf: string | null;
  error?: string | null;
  errors?: FieldErrors;
};

/** Asks for the e-mail address that gets a reset link. */
export function ForgotPasswordPage(props: ForgotPasswordPageProps) {
  return (
    <article class="auth-card">
      <header>
        <h1>Forgot your password?</h1>
        <p>Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
      </header>
      {props.sent ? (
        <FormMessage
          notice={`If ${props.email} belongs to an account, a link to reset its password is on its way. It works once, for one hour.`}
        />
      ) : (
        <form
          method="post"
          action="/forgot-password"
          hx-post="/forgot-password"
          hx-target="#main"
          hx-swap="innerHTML"
          novalidate
        >
          <FormMessage error={props.error} />
          <CsrfField token={props.csrf} />
          <InputField
            label="E-mail address"
            name="email"
            type="email"
            value={props.email}
            autocomplete="username"
            error={props.errors?.email}
            autofocus
            maxlength={254}
          />
          <button type="submit">Send the reset link</button>
        </form>
      )}
      <footer>
        <a href="/sign-in">Back to sign-in</a>
      </footer>
    </article>
  );
}
