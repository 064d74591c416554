/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, type Option, SelectField, TextField } from "../../components/form-fields.tsx";
import { SecretField } from "../../components/secret-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import { MailWebhooksForm, type MailWebhooksView } from "./email-webhooks.tsx";
import { MailOAuthSection, type MailOAuthSectionProps } from "./mail-oauth.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

/** The form as typed (never a stored secret). */
export type EmailFormValues = {
  provider: string;
  preset: string;
  host: string;
  port: string;
  /** "" (the preset's), "starttls" or "tls". */
  security: string;
  skipCertificateCheck: boolean;
  username: string;
  from: string;
  fromName: string;
  giveUpAfterHours: string;
};

export type TestResultView = {
  status: "sent" | "temporary_failure" | "permanent_failure";
  provider: string;
  answer: string;
};

export type EmailSettingsPageProps = {
  switcher: OrganizationSwitcherProps;
  values: EmailFormValues;
  errors: FieldErrors;
  /** A password or API key is stored (the field left empty keeps it). */
  secretSet: boolean;
  presets: { value: string; label: string; hint: string }[];
  /** The box's instance admin: the only one who changes the settings or sends a test. */
  canChange: boolean;
  /** The Gmail or Outlook account connected with OAuth for sending, and its connect form. */
  oauth: MailOAuthSectionProps;
  /** How many messages wait in the queue and how many failed, this organisation's. */
  outbox: { queued: number; failed: number };
  testTo: string;
  testResult: TestResultView | null;
  /** The providers' bounce webhooks: their URLs and keys. */
  webhooks: MailWebhooksView;
  csrf: string | null;
  notice: string | null;
};

const providers: Option[] = [
  { value: "log", label: "None: keep mail in the draft log (Settings → Outbox)" },
  { value: "smtp", label: "SMTP server (Gmail, Outlook, Yahoo, Proton, Zoho, iCloud or your own)" },
  { value: "resend", label: "Resend (API)" },
  { value: "sendgrid", label: "SendGrid (API)" },
  { value: "gmail", label: "Gmail API (the Google account connected below)" },
  { value: "outlook", label: "Microsoft Graph (the Microsoft 365 or Outlook.com account connected below)" },
];

const securities: Option[] = [
  { value: "starttls", label: "STARTTLS (usually port 587), required" },
  { value: "tls", label: "TLS from the start (usually port 465)" },
];

const outcomeWords = {
  sent: "Accepted",
  temporary_failure: "Refused for now (a retry may work)",
  permanent_failure: "Refused",
} as const;

/** Settings → E-mail: how the box sends mail, for the whole box. */
export function EmailSettingsPage(props: EmailSettingsPageProps) {
  const { values, errors } = props;
  return (
    <SettingsFrame current="/settings/email" switcher={props.switcher}>
      <header>
        <h1>E-mail</h1>
        <p>
          Every e-mail Opsbox writes (invitations, password resets, invoices, alerts) goes to the outbox first and is
          sent from there in the background, retried when the provider is briefly unavailable. These settings are the
          whole box's, shared by every organisation on it.
        </p>
        <p id="email-outbox-state">
          {values.provider === "log"
            ? "No provider is configured: messages stay in the draft log and are not sent."
            : `${props.outbox.queued} message(s) waiting to be sent, ${props.outbox.failed} failed.`}{" "}
          <a href="/settings/outbox">Open the outbox</a>
        </p>
        {(values.provider === "gmail" || values.provider === "outlook") && props.oauth.grant?.state !== "connected" ? (
          <p class="form-message form-message-error" id="email-reconnect">
            The {values.provider === "gmail" ? "Google" : "Microsoft"} account must be connected again: mail waits in
            the queue until then. {props.oauth.grant?.lastError}
          </p>
        ) : null}
      </header>
      <FormMessage notice={props.notice} error={errors.form ?? null} />
      {props.canChange ? null : (
        <p class="muted" id="email-read-only">
          Only the box's instance admin can change these settings or send a test message.
        </p>
      )}
      <form method="post" action="/settings/email" hx-post="/settings/email" hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <fieldset disabled={!props.canChange}>
          <SelectField
            label="Provider"
            name="provider"
            value={values.provider}
            options={providers}
            error={errors.provider}
          />
          <fieldset>
            <legend>SMTP</legend>
            <SelectField
              label="Service"
              name="preset"
              value={values.preset}
              options={props.presets.map(({ value, label }) => ({ value, label }))}
              error={errors.preset}
              hint="A service fills in the server, port and TLS you leave empty."
            />
            <ul class="muted email-preset-hints">
              {props.presets
                .filter((preset) => preset.hint)
                .map((preset) => (
                  <li>
                    <strong>{preset.label}</strong>: {preset.hint}
                  </li>
                ))}
            </ul>
            <TextField label="Server (host name)" name="host" value={values.host} error={errors.host} />
            <TextField label="Port" name="port" value={values.port} error={errors.port} inputmode="numeric" />
            <SelectField
              label="Encryption"
              name="security"
              value={values.security}
              options={securities}
              blank="As the service says"
              error={errors.secure}
            />
            <label>
              <input type="checkbox" name="skipCertificateCheck" value="on" checked={values.skipCertificateCheck} />{" "}
              Skip the certificate check (only for a server on this machine, like Proton Mail Bridge)
            </label>
            {errors.verifyCertificate ? <small class="field-error">{errors.verifyCertificate}</small> : null}
            <TextField
              label="User name"
              name="username"
              value={values.username}
              error={errors.username}
              autocomplete="off"
            />
            <SecretField
              label="Password or app password"
              name="password"
              set={props.secretSet && values.provider === "smtp"}
              error={errors.password}
            />
          </fieldset>
          <fieldset>
            <legend>Resend or SendGrid</legend>
            <SecretField
              label="API key"
              name="apiKey"
              set={props.secretSet && values.provider !== "smtp"}
              error={errors.apiKey}
            />
          </fieldset>
          <TextField label="Sender address" name="from" value={values.from} error={errors.from} type="email" />
          <TextField
            label="Sender name"
            name="fromName"
            value={values.fromName}
            error={errors.fromName}
            hint="Shown beside the address, like “Acme Office”."
          />
          <TextField
            label="Give up after (hours)"
            name="giveUpAfterHours"
            value={values.giveUpAfterHours}
            error={errors.giveUpAfterHours}
            inputmode="numeric"
            hint="A message the provider keeps refusing for now is retried, less and less often, for this long; then it is marked failed."
          />
          <button type="submit">Save</button>
        </fieldset>
      </form>
      <MailOAuthSection {...props.oauth} />
      {props.canChange ? (
        <TestMessageForm to={props.testTo} result={props.testResult} error={errors.to} csrf={props.csrf} />
      ) : null}
      <MailWebhooksForm {...props.webhooks} canChange={props.canChange} csrf={props.csrf} />
    </SettingsFrame>
  );
}

/** "Send a test message": the provider's answer, word for word. */
export function TestMessageForm(props: {
  to: string;
  result: TestResultView | null;
  error?: string | undefined;
  csrf: string | null;
}) {
  return (
    <section id="email-test" aria-labelledby="email-test-heading">
      <h2 id="email-test-heading">Send a test message</h2>
      <form
        method="post"
        action="/settings/email/test"
        hx-post="/settings/email/test"
        hx-target="#email-test"
        hx-swap="outerHTML"
        novalidate
      >
        <CsrfField token={props.csrf} />
        <TextField label="To" name="to" value={props.to} error={props.error} type="email" />
        <button type="submit">Send a test message</button>
      </form>
      {props.result ? (
        <div
          id="email-test-result"
          class={
            props.result.status === "sent" ? "form-message form-message-notice" : "form-message form-message-error"
          }
        >
          <p>
            <strong>{outcomeWords[props.result.status]}</strong> by {props.result.provider}. Its answer:
          </p>
          <pre>{props.result.answer}</pre>
        </div>
      ) : null}
    </section>
  );
}
