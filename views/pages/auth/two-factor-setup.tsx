/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage, InputField } from "./form-parts.tsx";
import { RecoveryCodeList } from "./recovery-code-list.tsx";
import { SignOutButton } from "./sign-out-button.tsx";

export type TwoFactorSetupPageProps = {
  /** The QR code of the key URI, as an SVG document made by the server. */
  qrSvg: string;
  /** The key in base32, for typing into an app by hand. */
  secret: string;
  next: string;
  csrf: string | null;
  /** True when the person may do nothing else until this is done. */
  required: boolean;
  error?: string | null;
};

/** Enrolment: scan the QR code (or type the key), then prove it with a code. */
export function TwoFactorSetupPage(props: TwoFactorSetupPageProps) {
  return (
    <article class="auth-card two-factor-setup">
      <header>
        <h1>Set up two-factor authentication</h1>
        <p>
          {props.required
            ? "Your account needs a second factor before you can continue. "
            : "Protect your account with a second factor. "}
          Use an authenticator app such as Aegis, Google Authenticator, 1Password or Microsoft Authenticator.
        </p>
      </header>
      <ol class="setup-steps">
        <li>
          <p>Scan this QR code with the app:</p>
          <figure class="qr-code" aria-label="QR code of your two-factor key">
            {raw(props.qrSvg)}
          </figure>
          <p>
            Can't scan it? Enter this key in the app instead:
            <br />
            <code class="totp-secret" data-testid="totp-secret">
              {groupInFours(props.secret)}
            </code>
          </p>
        </li>
        <li>
          <form
            method="post"
            action="/account/two-factor/setup"
            hx-post="/account/two-factor/setup"
            hx-target="#main"
            hx-swap="innerHTML"
          >
            <FormMessage error={props.error} />
            <CsrfField token={props.csrf} />
            <input type="hidden" name="next" value={props.next} />
            <InputField
              label="Enter the 6-digit code the app shows"
              name="code"
              autocomplete="one-time-code"
              inputmode="numeric"
              maxlength={12}
              autofocus={true}
            />
            <button type="submit">Turn on two-factor authentication</button>
          </form>
        </li>
      </ol>
      <footer>
        {props.required ? (
          <SignOutButton csrf={props.csrf} label="Sign out and do this later" />
        ) : (
          <a href="/account">Not now: back to your account</a>
        )}
      </footer>
    </article>
  );
}

/** After enrolment: the recovery codes, shown this once. */
export function TwoFactorEnabledPage(props: { recoveryCodes: string[]; next: string }) {
  return (
    <article class="auth-card">
      <header>
        <h1>Two-factor authentication is on</h1>
      </header>
      <RecoveryCodeList codes={props.recoveryCodes} />
      <a href={props.next} class="link-button">
        I have saved my recovery codes — continue
      </a>
    </article>
  );
}

function groupInFours(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}
