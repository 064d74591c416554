/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { formatDate } from "./account-sessions.tsx";
import { FormMessage, InputField } from "./form-parts.tsx";
import { RecoveryCodeList } from "./recovery-code-list.tsx";

export type TwoFactorStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** A policy requires 2FA of this person: it cannot be turned off. */
  required: boolean;
};

export type TwoFactorSectionState = {
  /** Codes just regenerated: shown this once. */
  recoveryCodes?: string[];
  regenerateError?: string | null;
  disableError?: string | null;
  notice?: string | null;
};

/** 2FA on the profile: status, new recovery codes, turning it off (where allowed) or on. */
export function AccountTwoFactor(props: {
  status: TwoFactorStatus;
  csrf: string | null;
  state?: TwoFactorSectionState;
}) {
  const { status, state } = props;
  return (
    <section id="two-factor" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor authentication</h2>
      <FormMessage notice={state?.notice} />
      {status.enabled ? (
        <>
          <p>
            <strong>On</strong>
            {status.enabledAt ? ` since ${formatDate(status.enabledAt)}` : ""}. {status.recoveryCodesLeft} of 10
            recovery codes left.
          </p>
          {state?.recoveryCodes ? <RecoveryCodeList codes={state.recoveryCodes} /> : null}
          <form
            method="post"
            action="/account/two-factor/recovery-codes"
            hx-post="/account/two-factor/recovery-codes"
            hx-target="#main"
            hx-swap="innerHTML"
            class="inline-form"
          >
            <FormMessage error={state?.regenerateError} />
            <CsrfField token={props.csrf} />
            <InputField
              label="Current code, for new recovery codes"
              name="code"
              autocomplete="one-time-code"
              inputmode="numeric"
              maxlength={64}
            />
            <button type="submit" class="secondary">
              Make new recovery codes
            </button>
          </form>
          {status.required ? (
            <p class="muted">Two-factor authentication is required for your role, so it cannot be turned off.</p>
          ) : (
            <form
              method="post"
              action="/account/two-factor/disable"
              hx-post="/account/two-factor/disable"
              hx-target="#main"
              hx-swap="innerHTML"
              class="inline-form"
            >
              <FormMessage error={state?.disableError} />
              <CsrfField token={props.csrf} />
              <InputField
                label="Current code, to turn two-factor authentication off"
                name="code"
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength={64}
              />
              <button type="submit" class="secondary outline">
                Turn off
              </button>
            </form>
          )}
        </>
      ) : (
        <>
          <p>
            <strong>Off.</strong> A code from an app on your phone keeps your account safe even if your password leaks.
          </p>
          <a href="/account/two-factor/setup" class="link-button">
            Set up two-factor authentication
          </a>
        </>
      )}
    </section>
  );
}
