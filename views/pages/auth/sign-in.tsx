/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, FormMessage, InputField } from "./form-parts.tsx";

export type SignInPageProps = {
  email: string;
  /** Where to go once signed in; a local path. */
  next: string;
  csrf: string | null;
  error?: string | null;
  errors?: FieldErrors;
  /** Enabled single sign-on providers, each a "Sign in with …" button. */
  providers?: { id: string; name: string }[];
};

/** E-mail and password. The password is never sent back, whatever went wrong. */
export function SignInPage(props: SignInPageProps) {
  return (
    <article class="auth-card">
      <header>
        <h1>Sign in</h1>
        <p>Welcome back to Opsbox.</p>
      </header>
      <form method="post" action="/sign-in" hx-post="/sign-in" hx-target="#main" hx-swap="innerHTML">
        <FormMessage error={props.error} />
        <CsrfField token={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <InputField
          label="E-mail address"
          name="email"
          type="email"
          value={props.email}
          autocomplete="username"
          error={props.errors?.email}
          autofocus={!props.email}
          maxlength={254}
        />
        <InputField
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          error={props.errors?.password}
          autofocus={Boolean(props.email)}
        />
        <button type="submit">Sign in</button>
      </form>
      {props.providers && props.providers.length > 0 ? (
        <section class="sso-buttons" aria-label="Single sign-on">
          <p>Or sign in with</p>
          {props.providers.map((provider) => (
            // biome-ignore lint/a11y/useSemanticElements: a link that Pico styles as a button; it navigates away.
            <a
              role="button"
              class="secondary outline"
              href={`/auth/sso/${encodeURIComponent(provider.id)}/start?next=${encodeURIComponent(props.next)}`}
            >
              {provider.name}
            </a>
          ))}
        </section>
      ) : null}
      <p class="auth-card-links">
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </article>
  );
}
