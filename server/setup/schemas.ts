import { z } from "zod";
import { complianceLevels, compliancePresets } from "../../models/security-policy.ts";
import { timeZoneField } from "../auth/organizations/time-zone.ts";
import { checkPasswordStrength } from "../auth/sessions/passwords.ts";
import { backupSettingsInput } from "../backup/settings.ts";
import { emailSettingsInput } from "../mail/settings-schema.ts";
import { builtInAgents, industries } from "./templates.ts";

/** E-mail delivery (SMTP with presets, Resend, SendGrid); `log` keeps every message in the draft log. */
export { backupSettingsInput, emailSettingsInput };

export const aiSettingsInput = z.object({
  chatModel: z.string().trim().min(1).optional(),
  embeddingModel: z.string().trim().min(1).optional(),
});

export const organizationInput = z.object({
  name: z.string().trim().min(1, "Enter your organisation's name.").max(120),
  industry: z.enum(industries).default("general"),
  complianceLevel: z.enum(complianceLevels).default("basic"),
  /** Where the organisation works: agents act at its local hours (UTC when left out). */
  timeZone: timeZoneField.optional(),
});

export const adminInput = z.object({
  email: z
    .email("Enter a valid e-mail address.")
    .max(254)
    .transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, "Enter your name.").max(120),
  password: z.string(),
});

/** One schema for the first-boot wizard, `POST /api/v1/setup` and `opsbox setup`. */
export const setupInput = z
  .object({
    organization: organizationInput,
    admin: adminInput,
    email: emailSettingsInput.default({ provider: "log" }),
    backups: backupSettingsInput.default({ enabled: false }),
    ai: aiSettingsInput.default({}),
    agents: z.object({ defaults: z.array(z.enum(builtInAgents)).default([]) }).default({ defaults: [] }),
  })
  .superRefine((input, ctx) => {
    const check = checkPasswordStrength(input.admin.password, {
      email: input.admin.email,
      minLength: compliancePresets[input.organization.complianceLevel].policy.passwordMinLength,
    });
    if (!check.ok) ctx.addIssue({ code: "custom", path: ["admin", "password"], message: check.message });
  });

export type SetupInput = z.infer<typeof setupInput>;
export type SetupInputRaw = z.input<typeof setupInput>;
