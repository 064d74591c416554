/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage, InputField } from "./form-parts.tsx";
import { SignOutButton } from "./sign-out-button.tsx";

export type TwoFactorChallengePageProps = {
  next: string;
  csrf: string | null;
  error?: string | null;
};

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export function TwoFactorChallengePage(props: TwoFactorChallengePageProps) {
  return (
    <article class="auth-card">
      <header>
        <h1>Two-factor authentication</h1>
        <p>Enter the 6-digit code from your authenticator app.</p>
      </header>
      <form
        method="post"
        action="/sign-in/two-factor"
        hx-post="/sign-in/two-factor"
        hx-target="#main"
        hx-swap="innerHTML"
      >
        <FormMessage error={props.error} />
        <CsrfField token={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <InputField
          label="Code"
          name="code"
          autocomplete="one-time-code"
          inputmode="text"
          maxlength={64}
          autofocus={true}
          hint="Lost your phone? Enter one of your recovery codes instead."
        />
        <button type="submit">Verify</button>
      </form>
      <footer>
        <SignOutButton csrf={props.csrf} label="Cancel and sign out" />
      </footer>
    </article>
  );
}
