import { z } from "zod";
import { mailOAuthGrantJson } from "./oauth/grant-json.ts";
import { isLoopbackHost, type SmtpPresetName, smtpPresetNames, smtpPresets } from "./providers/smtp-presets.ts";

export const EMAIL_SETTINGS_KEY = "email";
export const DEFAULT_GIVE_UP_HOURS = 24;

/** What every real provider shares: the sender and how long the outbox keeps retrying. */
const sender = {
  from: z.email("Enter the sender address, like office@example.com."),
  fromName: z.string().trim().max(120).default(""),
  giveUpAfterHours: z.coerce
    .number()
    .int("Enter a whole number of hours.")
    .min(1, "Retry for at least 1 hour.")
    .max(168, "Retry for at most 168 hours (a week).")
    .default(DEFAULT_GIVE_UP_HOURS),
};

/** The secret as typed: empty or left out keeps the stored one where that is safe (see saveMailSettings). */
const secret = z.string().max(500).default("");

const smtpInput = z.object({
  provider: z.literal("smtp"),
  /** A preset fills host, port, TLS and certificate checks that are left out. */
  preset: z.enum(smtpPresetNames).default("custom"),
  host: z.string().trim().max(253).default(""),
  port: z.coerce.number().int().min(1).max(65535).optional(),
  /** TLS from the first byte (usually port 465); otherwise STARTTLS, which is then required. */
  secure: z.boolean().optional(),
  /** Off only for a server on this machine with its own certificate (Proton Mail Bridge). */
  verifyCertificate: z.boolean().optional(),
  username: z.string().trim().max(200).default(""),
  /** The password or app password; write-only. */
  password: secret,
  ...sender,
});

const apiInput = (provider: "resend" | "sendgrid") =>
  z.object({
    provider: z.literal(provider),
    /** Write-only; left empty, the stored key is kept. */
    apiKey: secret,
    ...sender,
  });

/** Gmail API or Microsoft Graph through the account connected in Settings → E-mail: only the sender. */
const oauthInput = (provider: "gmail" | "outlook") => z.object({ provider: z.literal(provider), ...sender });

/**
 * E-mail delivery, one schema for setup (wizard, API, CLI), Settings → E-mail and
 * `PUT /api/v1/mail/settings`. `log` keeps every message in the draft log.
 */
export const emailSettingsInput = z
  .discriminatedUnion("provider", [
    z.object({ provider: z.literal("log") }),
    smtpInput,
    apiInput("resend"),
    apiInput("sendgrid"),
    oauthInput("gmail"),
    oauthInput("outlook"),
  ])
  .transform((input) => (input.provider === "smtp" ? withPreset(input) : input))
  .superRefine((input, ctx) => {
    if (input.provider !== "smtp") return;
    if (!input.host) ctx.addIssue({ code: "custom", path: ["host"], message: "Enter the SMTP server's host name." });
    if (!input.verifyCertificate && !isLoopbackHost(input.host)) {
      ctx.addIssue({
        code: "custom",
        path: ["verifyCertificate"],
        message: "Certificate checks may only be skipped for a server on this machine (like Proton Mail Bridge).",
      });
    }
  });
export type EmailSettingsInput = z.output<typeof emailSettingsInput>;
export type SmtpSettingsInput = Extract<EmailSettingsInput, { provider: "smtp" }>;

type SmtpTyped = z.output<typeof smtpInput>;

/** The preset's values for whatever was left out; `custom` leaves STARTTLS on 587 with checks on. */
function withPreset(input: SmtpTyped) {
  const preset = input.preset === "custom" ? null : smtpPresets[input.preset as Exclude<SmtpPresetName, "custom">];
  return {
    ...input,
    host: input.host || preset?.host || "",
    port: input.port ?? preset?.port ?? 587,
    secure: input.secure ?? preset?.secure ?? false,
    verifyCertificate: input.verifyCertificate ?? preset?.verifyCertificate ?? true,
  };
}

/** As stored in instance_settings: secrets sealed with the keyring. Older rows (setup before presets) read with defaults. */
export const storedEmailSettings = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("log") }),
  z.object({
    provider: z.literal("smtp"),
    preset: z.enum(smtpPresetNames).catch("custom").default("custom"),
    host: z.string(),
    port: z.number().int(),
    secure: z.boolean().default(false),
    verifyCertificate: z.boolean().default(true),
    username: z.string().default(""),
    passwordEncrypted: z.string().nullish(),
    from: z.string(),
    fromName: z.string().default(""),
    giveUpAfterHours: z.number().int().positive().default(DEFAULT_GIVE_UP_HOURS),
  }),
  ...(["resend", "sendgrid"] as const).map((provider) =>
    z.object({
      provider: z.literal(provider),
      apiKeyEncrypted: z.string().nullish(),
      from: z.string(),
      fromName: z.string().default(""),
      giveUpAfterHours: z.number().int().positive().default(DEFAULT_GIVE_UP_HOURS),
    }),
  ),
  ...(["gmail", "outlook"] as const).map((provider) =>
    z.object({
      provider: z.literal(provider),
      from: z.string(),
      fromName: z.string().default(""),
      giveUpAfterHours: z.number().int().positive().default(DEFAULT_GIVE_UP_HOURS),
    }),
  ),
]);
export type StoredEmailSettings = z.output<typeof storedEmailSettings>;

/** The settings as the API and the page show them: no secret, only whether one is stored. */
export const emailSettingsJsonSchema = z.object({
  provider: z.enum(["log", "smtp", "resend", "sendgrid", "gmail", "outlook"]),
  preset: z.enum(smtpPresetNames).nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  secure: z.boolean().nullable(),
  verifyCertificate: z.boolean().nullable(),
  username: z.string().nullable(),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  /** Whether a password (SMTP) or API key (Resend, SendGrid) is stored; it is never shown. */
  secretSet: z.boolean(),
  giveUpAfterHours: z.number().int(),
  /** The account connected with OAuth for Gmail or Outlook (never a token or the client secret). */
  oauth: mailOAuthGrantJson,
});
export type EmailSettingsJson = z.infer<typeof emailSettingsJsonSchema>;

export const testMessageInput = z.object({ to: z.email("Enter the address to send the test message to.") });

export const testMessageResultSchema = z.object({
  status: z.enum(["sent", "temporary_failure", "permanent_failure"]),
  provider: z.string(),
  /** The provider's exact answer. */
  answer: z.string(),
  providerMessageId: z.string().nullable(),
  messageId: z.string(),
});
export type TestMessageResult = z.infer<typeof testMessageResultSchema>;
