import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import {
  describeWebhookSettings,
  saveWebhookSettings,
  type WebhookSettingsInput,
  type WebhookSettingsJson,
} from "./webhook-settings.ts";

/** Changes the providers' webhook keys and records who did (never the secret). */
export function changeWebhookSettings(
  ctx: ServiceContext,
  baseUrl: string,
  input: WebhookSettingsInput,
): WebhookSettingsJson {
  return ctx.db.transaction((tx) => {
    saveWebhookSettings(tx, ctx.keyring, input);
    const saved = describeWebhookSettings(tx, baseUrl);
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "mail.webhooks_changed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "instance_setting",
      targetId: "email.webhooks",
      details: {
        resendSecretChanged: input.resendSecret !== "" || input.clearResendSecret,
        resendSecretSet: saved.resend.secretSet,
        sendgridKeySet: saved.sendgrid.publicKey !== null,
      },
      meta: ctx.meta,
    });
    return saved;
  });
}
