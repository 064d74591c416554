import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { describeWebhookSettings, webhookSettingsInput, webhookSettingsJsonSchema } from "./webhook-settings.ts";
import { changeWebhookSettings } from "./webhook-settings-change.ts";

const tags = ["E-mail"];

/** GET/PUT /mail/webhooks: the URLs to give Resend and SendGrid and the keys their events are checked with (box-wide). */
export const webhookSettingsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "Get the bounce webhooks",
      description:
        "The URLs to give Resend and SendGrid, whether Resend's signing secret is stored (never shown) and SendGrid's verification key.",
      tags,
      responses: { 200: { description: "The webhooks", schema: webhookSettingsJsonSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => c.json(describeWebhookSettings(c.var.deps.db, c.var.deps.config.baseUrl)),
  )
  .put(
    "/",
    apiDoc({
      summary: "Set the bounce webhooks' keys",
      description:
        "`resendSecret` (`whsec_…`, write-only: empty keeps the stored one, `clearResendSecret: true` forgets it) and `sendgridPublicKey` (empty forgets it). The box's instance admin only; audited.",
      tags,
      responses: { 200: { description: "The webhooks", schema: webhookSettingsJsonSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", webhookSettingsInput),
    (c) => c.json(changeWebhookSettings(serviceContext(c), c.var.deps.config.baseUrl, c.req.valid("json"))),
  );
