/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { EmailSettingsPage, TestMessageForm } from "../../views/pages/settings/email.tsx";
import { renderPage } from "../console/render.tsx";
import { formCsrf, redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { mailOAuthConsole } from "./oauth/console.tsx";
import { describeMailSettings } from "./settings.ts";
import { changeMailSettings } from "./settings-change.ts";
import {
  emailInputOf,
  emailSettingsPageProps,
  type PostedEmailForm,
  postedEmailForm,
} from "./settings-console-props.ts";
import { emailSettingsInput, testMessageInput } from "./settings-schema.ts";
import { sendTestMessage } from "./test-message.ts";
import { webhookSettingsInput } from "./webhook-settings.ts";
import { changeWebhookSettings } from "./webhook-settings-change.ts";

const page = { title: "E-mail", current: "/settings/users" };
const notices: Record<string, string> = {
  saved: "E-mail settings saved.",
  webhooks: "Webhook keys saved: the providers' bounce and complaint events are now checked with them.",
  connected: "The account is connected. Choose Gmail API or Microsoft Graph as the provider and save, if not done yet.",
  disconnected: "The account was disconnected; its tokens are deleted.",
};

type PostedWebhooks = { resendSecret: string; clearResendSecret: boolean; sendgridPublicKey: string };
const webhooksForm: FormSpec<PostedWebhooks> = {
  values: (form) => ({
    resendSecret: form.text("resendSecret"),
    clearResendSecret: form.has("clearResendSecret"),
    sendgridPublicKey: form.text("sendgridPublicKey"),
  }),
  invalid: (c, values, { errors, status }) =>
    renderPage(c, page, <EmailSettingsPage {...emailSettingsPageProps(c, { webhooks: { values, errors } })} />, status),
};

const settingsForm: FormSpec<PostedEmailForm> = {
  values: postedEmailForm,
  input: emailInputOf,
  invalid: (c, values, { errors, status }) =>
    renderPage(c, page, <EmailSettingsPage {...emailSettingsPageProps(c, { values, errors })} />, status),
};

const testForm: FormSpec<{ to: string }> = {
  values: (form) => ({ to: form.text("to") }),
  invalid: (c, values, { errors, status }) =>
    c.html(
      <TestMessageForm to={values.to} result={null} error={errors.to ?? errors.form} csrf={formCsrf(c)} />,
      status,
    ),
};

/**
 * Settings → E-mail. Any admin may look; the settings are the whole box's (one provider sends
 * every organisation's mail, with one set of credentials), so only the instance admin changes
 * them or sends a test message through them.
 */
export const mailSettingsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    return renderPage(c, page, <EmailSettingsPage {...emailSettingsPageProps(c, { notice })} />);
  })
  .post("/", requireInstanceAdmin(), validateForm(emailSettingsInput, settingsForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      changeMailSettings(serviceContext(c), input);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/settings/email?notice=saved");
  })
  .post("/webhooks", requireInstanceAdmin(), validateForm(webhookSettingsInput, webhooksForm), (c) => {
    changeWebhookSettings(serviceContext(c), c.var.deps.config.baseUrl, c.req.valid("form").input);
    return redirectTo(c, "/settings/email?notice=webhooks");
  })
  .post("/test", requireInstanceAdmin(), validateForm(testMessageInput, testForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    const ctx = serviceContext(c);
    try {
      const sentBy = c.var.auth?.user.email ?? "an admin";
      const result = await sendTestMessage(ctx, { to: input.to, orgId: ctx.orgId, sentBy });
      return c.html(<TestMessageForm to={input.to} result={result} csrf={formCsrf(c)} />);
    } catch (error) {
      return refused(error);
    }
  });

/** POST /settings/email/oauth/connect and /disconnect: the box's sending mailbox, the instance admin's. */
export const sendingOAuthConsole = mailOAuthConsole({
  purpose: "send",
  guard: requireInstanceAdmin(),
  page: "/settings/email",
  invalid: (c, values, { errors, status }) =>
    renderPage(c, page, <EmailSettingsPage {...emailSettingsPageProps(c, { oauth: { values, errors } })} />, status),
  loginHint: (c) => describeMailSettings(c.var.deps.db).from,
});
