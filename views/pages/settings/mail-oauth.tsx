/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, SelectField, TextField } from "../../components/form-fields.tsx";
import { SecretField } from "../../components/secret-field.tsx";

/** A connected (or half-connected) account as the page shows it: never a token or the client secret. */
export type MailOAuthGrantView = {
  provider: "google" | "microsoft";
  tenant: string | null;
  clientId: string;
  account: string | null;
  state: "pending" | "connected" | "reconnect";
  lastError: string | null;
};

export type MailOAuthConnectValues = { provider: string; tenant: string; clientId: string };

export type MailOAuthSectionProps = {
  /** Where the forms post: `/settings/email/oauth` or `/settings/inbound-mail/oauth`. */
  action: string;
  heading: string;
  /** What the connected account is used for, in a sentence. */
  purpose: string;
  grant: MailOAuthGrantView | null;
  values: MailOAuthConnectValues;
  errors: FieldErrors;
  /** The redirect URL to register with the Google or Microsoft app. */
  callbackUrl: string;
  scopes: { google: string; microsoft: string };
  canChange: boolean;
  csrf: string | null;
};

const providerNames = { google: "Google", microsoft: "Microsoft" } as const;

const stateWords = {
  pending: "Not connected yet: finish the sign-in with the provider.",
  connected: "Connected",
  reconnect: "Reconnect needed",
} as const;

/** "Connect with Google or Microsoft": the app's client id and secret, then the provider's consent page. */
export function MailOAuthSection(props: MailOAuthSectionProps) {
  const { grant, values, errors } = props;
  return (
    <section id="mail-oauth" aria-labelledby="mail-oauth-heading">
      <h2 id="mail-oauth-heading">{props.heading}</h2>
      <p>{props.purpose}</p>
      {grant ? (
        <p class={`mail-oauth-state mail-oauth-${grant.state}`} role="status">
          <strong>{stateWords[grant.state]}</strong>
          {grant.account ? ` · ${providerNames[grant.provider]} account ${grant.account}` : null}
          {grant.lastError ? <span class="form-message form-message-error"> {grant.lastError}</span> : null}
        </p>
      ) : null}
      <details open={grant?.state !== "connected" || Object.keys(errors).length > 0}>
        <summary>{grant ? "Connect again or with another app" : "How to connect"}</summary>
        <p class="muted">
          Register an app with the provider (Google Cloud console → APIs &amp; Services → Credentials → OAuth client of
          type “Web application”; or Microsoft Entra admin center → App registrations, with a client secret). Its
          redirect URL is <code>{props.callbackUrl}</code>. Scopes: Google <code>{props.scopes.google}</code>; Microsoft{" "}
          <code>{props.scopes.microsoft}</code>.
        </p>
        <form method="post" action={`${props.action}/connect`} novalidate>
          <CsrfField token={props.csrf} />
          <fieldset disabled={!props.canChange}>
            <SelectField
              label="Provider"
              name="provider"
              value={values.provider}
              options={[
                { value: "google", label: "Google (Gmail, Google Workspace)" },
                { value: "microsoft", label: "Microsoft (Microsoft 365, Outlook.com)" },
              ]}
              error={errors.provider}
            />
            <TextField
              label="Microsoft directory (tenant)"
              name="tenant"
              value={values.tenant}
              error={errors.tenant}
              hint="Microsoft only: the tenant id or domain, or “common” for any account. Leave empty for Google."
            />
            <TextField label="Client id" name="clientId" value={values.clientId} error={errors.clientId} />
            <SecretField
              label="Client secret"
              name="clientSecret"
              set={grant !== null}
              setHint="Stored: leave empty to keep it for the same app"
              error={errors.clientSecret}
            />
            {errors.form ? <p class="form-message form-message-error">{errors.form}</p> : null}
            <button type="submit">{grant?.state === "reconnect" ? "Reconnect" : "Connect"}</button>
          </fieldset>
        </form>
      </details>
      {grant && props.canChange ? (
        <form method="post" action={`${props.action}/disconnect`}>
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Disconnect
          </button>
        </form>
      ) : null}
    </section>
  );
}
