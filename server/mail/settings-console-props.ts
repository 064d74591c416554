import type { Context } from "hono";
import type { FieldErrors } from "../../views/components/form-fields.tsx";
import type { EmailFormValues, EmailSettingsPageProps, TestResultView } from "../../views/pages/settings/email.tsx";
import type { MailWebhooksView } from "../../views/pages/settings/email-webhooks.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin } from "../http/guards.ts";
import type { PostedForm } from "../http/validate-form.ts";
import { type MailOAuthFormState, mailOAuthSectionProps } from "./oauth/console-props.ts";
import { countOutbox } from "./outbox.ts";
import { smtpPresets } from "./providers/smtp-presets.ts";
import { outboxReaderOf } from "./reader.ts";
import { describeMailSettings } from "./settings.ts";
import { describeWebhookSettings } from "./webhook-settings.ts";

/** The form as posted: what the page shows again, plus the secrets it never shows. */
export type PostedEmailForm = EmailFormValues & { password: string; apiKey: string };

export function postedEmailForm(form: PostedForm): PostedEmailForm {
  return {
    provider: form.text("provider"),
    preset: form.text("preset") || "custom",
    host: form.text("host"),
    port: form.text("port"),
    security: form.text("security"),
    skipCertificateCheck: form.has("skipCertificateCheck"),
    username: form.text("username"),
    password: form.text("password"),
    apiKey: form.text("apiKey"),
    from: form.text("from"),
    fromName: form.text("fromName"),
    giveUpAfterHours: form.text("giveUpAfterHours"),
  };
}

/** The API's input for the posted form: left empty, port, TLS and certificate checks come from the preset. */
export function emailInputOf(values: PostedEmailForm): unknown {
  return {
    ...values,
    port: values.port.trim() || undefined,
    secure: values.security ? values.security === "tls" : undefined,
    verifyCertificate: values.skipCertificateCheck ? false : undefined,
    giveUpAfterHours: values.giveUpAfterHours.trim() || undefined,
  };
}

/** The stored settings as the form shows them. */
function storedValues(c: Context<AppEnv>): EmailFormValues {
  const stored = describeMailSettings(c.var.deps.db);
  return {
    provider: stored.provider,
    preset: stored.preset ?? "custom",
    host: stored.host ?? "",
    port: stored.port === null ? "" : String(stored.port),
    security: stored.secure === null ? "" : stored.secure ? "tls" : "starttls",
    skipCertificateCheck: stored.verifyCertificate === false,
    username: stored.username ?? "",
    from: stored.from ?? "",
    fromName: stored.fromName ?? "",
    giveUpAfterHours: String(stored.giveUpAfterHours),
  };
}

/** Settings → E-mail's props: the stored settings, or what was typed with its errors. */
export function emailSettingsPageProps(
  c: Context<AppEnv>,
  options: {
    values?: EmailFormValues;
    errors?: FieldErrors;
    notice?: string | null;
    testTo?: string;
    testResult?: TestResultView | null;
    webhooks?: { values: { sendgridPublicKey: string }; errors: FieldErrors };
    oauth?: MailOAuthFormState;
  } = {},
): EmailSettingsPageProps {
  const counts = countOutbox(c.var.deps.db, outboxReaderOf(c));
  const {
    password: _password,
    apiKey: _apiKey,
    ...shown
  } = { password: "", apiKey: "", ...(options.values ?? storedValues(c)) };
  return {
    switcher: organizationSwitcher(c),
    values: shown,
    errors: options.errors ?? {},
    secretSet: describeMailSettings(c.var.deps.db).secretSet,
    presets: [
      { value: "custom", label: "Other SMTP server", hint: "" },
      ...Object.entries(smtpPresets).map(([value, preset]) => ({ value, label: preset.label, hint: preset.hint })),
    ],
    canChange: isInstanceAdmin(c),
    oauth: mailOAuthSectionProps(c, "send", {
      canChange: isInstanceAdmin(c),
      orgId: outboxReaderOf(c).orgId ?? "",
      form: options.oauth,
    }),
    outbox: { queued: (counts.queued ?? 0) + (counts.sending ?? 0), failed: counts.failed ?? 0 },
    testTo: options.testTo ?? c.var.auth?.user.email ?? "",
    testResult: options.testResult ?? null,
    webhooks: webhooksView(c, options.webhooks),
    csrf: formCsrf(c),
    notice: options.notice ?? null,
  };
}

/** The webhooks section: the URLs under OPSBOX_BASE_URL, the stored keys or what was typed with its errors. */
function webhooksView(
  c: Context<AppEnv>,
  typed?: { values: { sendgridPublicKey: string }; errors: FieldErrors },
): MailWebhooksView {
  const stored = describeWebhookSettings(c.var.deps.db, c.var.deps.config.baseUrl);
  return {
    resendUrl: stored.resend.url,
    sendgridUrl: stored.sendgrid.url,
    resendSecretSet: stored.resend.secretSet,
    sendgridPublicKey: typed?.values.sendgridPublicKey ?? stored.sendgrid.publicKey ?? "",
    errors: typed?.errors ?? {},
  };
}
