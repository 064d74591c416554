import { createPublicKey } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";

export const WEBHOOK_SETTINGS_KEY = "email.webhooks";
const RESEND_SECRET_CONTEXT = "settings.email.webhooks.resendSecret";

/** Where each provider posts its events, under the box's public address. */
export const WEBHOOK_PATHS = { resend: "/api/v1/mail/webhooks/resend", sendgrid: "/api/v1/mail/webhooks/sendgrid" };

const stored = z.object({
  resendSecretEncrypted: z.string().nullish(),
  sendgridPublicKey: z.string().nullish(),
});

/** Whether `key` is SendGrid's verification key: base64 of a DER SubjectPublicKeyInfo of a P-256 key. */
function isP256PublicKey(key: string): boolean {
  try {
    const parsed = createPublicKey({ key: Buffer.from(key, "base64"), format: "der", type: "spki" });
    return parsed.asymmetricKeyType === "ec" && parsed.asymmetricKeyDetails?.namedCurve === "prime256v1";
  } catch {
    return false;
  }
}

/**
 * The webhook keys as typed: Resend's signing secret (`whsec_…`, write-only: empty keeps the
 * stored one, `clearResendSecret` forgets it) and SendGrid's verification key (public; empty
 * forgets it).
 */
export const webhookSettingsInput = z.object({
  resendSecret: z
    .string()
    .trim()
    .max(200)
    .default("")
    .refine((value) => value === "" || /^whsec_[A-Za-z0-9+/=]{16,}$/.test(value), {
      message: "Paste Resend's signing secret, which starts with whsec_.",
    }),
  clearResendSecret: z.boolean().default(false),
  sendgridPublicKey: z
    .string()
    .trim()
    .max(400)
    .default("")
    .refine((value) => value === "" || isP256PublicKey(value), {
      message: "Paste SendGrid's verification key (base64, from Mail Settings → Signed Event Webhook).",
    }),
});
export type WebhookSettingsInput = z.output<typeof webhookSettingsInput>;

/** The webhooks as the API and the page show them: the URLs to give the providers, never the secret. */
export const webhookSettingsJsonSchema = z.object({
  resend: z.object({ url: z.string(), secretSet: z.boolean() }),
  sendgrid: z.object({ url: z.string(), publicKey: z.string().nullable() }),
});
export type WebhookSettingsJson = z.infer<typeof webhookSettingsJsonSchema>;

function readStored(db: Queryable) {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, WEBHOOK_SETTINGS_KEY)).get();
  const parsed = stored.safeParse(row?.value);
  return parsed.success ? parsed.data : {};
}

/** The settings as shown, with the URLs under `baseUrl`. */
export function describeWebhookSettings(db: Queryable, baseUrl: string): WebhookSettingsJson {
  const settings = readStored(db);
  return {
    resend: { url: `${baseUrl}${WEBHOOK_PATHS.resend}`, secretSet: Boolean(settings.resendSecretEncrypted) },
    sendgrid: { url: `${baseUrl}${WEBHOOK_PATHS.sendgrid}`, publicKey: settings.sendgridPublicKey ?? null },
  };
}

/** Writes the webhook keys, Resend's secret sealed with the keyring. */
export function saveWebhookSettings(db: Queryable, keyring: Keyring, input: WebhookSettingsInput, now = new Date()) {
  const previous = readStored(db);
  const resendSecretEncrypted = input.resendSecret
    ? encryptSecret(keyring, input.resendSecret, RESEND_SECRET_CONTEXT)
    : input.clearResendSecret
      ? null
      : (previous.resendSecretEncrypted ?? null);
  const value = { resendSecretEncrypted, sendgridPublicKey: input.sendgridPublicKey || null };
  db.insert(instanceSettings)
    .values({ key: WEBHOOK_SETTINGS_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
    .run();
}

/** Resend's signing secret (decrypted, in memory only), or null when none is stored. */
export function resendWebhookSecret(db: Queryable, keyring: Keyring): string | null {
  const sealed = readStored(db).resendSecretEncrypted;
  return sealed ? decryptSecret(keyring, sealed, RESEND_SECRET_CONTEXT) : null;
}

/** SendGrid's verification key, or null when none is stored. */
export function sendGridWebhookKey(db: Queryable): string | null {
  return readStored(db).sendgridPublicKey ?? null;
}
