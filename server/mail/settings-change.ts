import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { saveMailSettings } from "./settings.ts";
import type { EmailSettingsInput, EmailSettingsJson } from "./settings-schema.ts";

/**
 * Changes the box's e-mail delivery and records who did (never the secret). Messages already in
 * the draft log stay there: only an admin's retry sends one.
 */
export function changeMailSettings(ctx: ServiceContext, input: EmailSettingsInput): EmailSettingsJson {
  return ctx.db.transaction((tx) => {
    const saved = saveMailSettings(tx, ctx.keyring, input);
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "mail.settings_changed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "instance_setting",
      targetId: "email",
      details: { provider: saved.provider, host: saved.host, from: saved.from, secretChanged: typedSecret(input) },
      meta: ctx.meta,
    });
    return saved;
  });
}

function typedSecret(input: EmailSettingsInput): boolean {
  if (input.provider === "smtp") return input.password !== "";
  return "apiKey" in input && input.apiKey !== "";
}
