/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type FieldErrors, TextField } from "../../components/form-fields.tsx";

export type MailWebhooksView = {
  resendUrl: string;
  sendgridUrl: string;
  /** Resend's signing secret is stored (never shown). */
  resendSecretSet: boolean;
  /** SendGrid's verification key as typed or stored ("" for none). */
  sendgridPublicKey: string;
  errors: FieldErrors;
};

/** Settings → E-mail → Bounces and complaints: the URLs to give the providers, and the keys their events are checked with. */
export function MailWebhooksForm(props: MailWebhooksView & { canChange: boolean; csrf: string | null }) {
  return (
    <section id="email-webhooks" aria-labelledby="email-webhooks-heading">
      <h2 id="email-webhooks-heading">Bounces and complaints</h2>
      <p>
        Resend and SendGrid report bounces and spam complaints to the box: the message is marked and the address goes on
        the <a href="/settings/outbox/suppressions">suppression list</a>. Give the provider the URL below and paste its
        key here. (With SMTP, bounce reports that reach the organisation's inbound mailbox do the same.)
      </p>
      <form
        method="post"
        action="/settings/email/webhooks"
        hx-post="/settings/email/webhooks"
        hx-target="#main"
        novalidate
      >
        <CsrfField token={props.csrf} />
        <fieldset disabled={!props.canChange}>
          <legend>Resend (Webhooks → Add endpoint, events email.bounced and email.complained)</legend>
          <p>
            Endpoint URL: <code>{props.resendUrl}</code>
          </p>
          <label>
            Signing secret
            <input
              type="password"
              name="resendSecret"
              value=""
              autocomplete="off"
              placeholder={props.resendSecretSet ? "Stored: leave empty to keep it" : "whsec_…"}
              aria-invalid={props.errors.resendSecret ? "true" : undefined}
            />
            {props.errors.resendSecret ? <small>{props.errors.resendSecret}</small> : null}
          </label>
          {props.resendSecretSet ? (
            <label>
              <input type="checkbox" name="clearResendSecret" value="on" /> Forget the stored secret
            </label>
          ) : null}
        </fieldset>
        <fieldset disabled={!props.canChange}>
          <legend>
            SendGrid (Mail Settings → Event Webhook: bounced, dropped, spam reports; Signed Event Webhook on)
          </legend>
          <p>
            HTTP Post URL: <code>{props.sendgridUrl}</code>
          </p>
          <TextField
            label="Verification key"
            name="sendgridPublicKey"
            value={props.sendgridPublicKey}
            error={props.errors.sendgridPublicKey}
            hint="The public key SendGrid shows once signing is on. Leave empty to refuse SendGrid's events."
          />
        </fieldset>
        {props.canChange ? <button type="submit">Save the webhook keys</button> : null}
      </form>
    </section>
  );
}
