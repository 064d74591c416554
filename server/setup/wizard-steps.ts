import type { z } from "zod";
import { type ComplianceLevel, compliancePresets } from "../../models/security-policy.ts";
import { checkPasswordStrength } from "../auth/sessions/passwords.ts";
import { matchTotpStep } from "../auth/two-factor/totp.ts";
import { adminInput, organizationInput, setupInput } from "./schemas.ts";
import { type Industry, industryTemplates } from "./templates.ts";
import { draftList, draftValue, type FieldErrors, type WizardDraft } from "./wizard-draft.ts";

export type StepCheck<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

const organizationStep = organizationInput.pick({ name: true, industry: true, timeZone: true });
const complianceStep = organizationInput.pick({ complianceLevel: true });
const { email: emailStep, backups: backupsStep, ai: aiStep, agents: agentsStep } = setupInput.shape;

function fieldErrors(error: z.core.$ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

function parsed<T>(result: z.ZodSafeParseResult<T>): StepCheck<T> {
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

const blankToUndefined = (value: string) => (value.trim() === "" ? undefined : value);

export function industryOf(draft: WizardDraft): Industry {
  const check = organizationStep.shape.industry.safeParse(draftValue(draft, "organisation", "industry") || "general");
  return check.success ? check.data : "general";
}

/** The chosen compliance level, or the industry's suggestion until one is chosen. */
export function complianceOf(draft: WizardDraft): ComplianceLevel {
  const check = complianceStep.shape.complianceLevel.safeParse(draftValue(draft, "compliance", "complianceLevel"));
  return check.success && draft.values.compliance
    ? check.data
    : industryTemplates[industryOf(draft)].suggestedCompliance;
}

/** The agents ticked, or the industry's suggested ones until the agents step was seen. */
export function agentsOf(draft: WizardDraft): string[] {
  return draftList(draft, "agents", "agents") ?? industryTemplates[industryOf(draft)].suggestedAgents;
}

export function checkOrganisation(draft: WizardDraft) {
  return parsed(
    organizationStep.safeParse({
      name: draftValue(draft, "organisation", "name"),
      industry: draftValue(draft, "organisation", "industry") || undefined,
      timeZone: draftValue(draft, "organisation", "timeZone") || undefined,
    }),
  );
}

/** `typed` is the password entered on this submit (with its confirmation), null when only the kept one counts. */
export function checkAdministrator(draft: WizardDraft, typed: { password: string; confirm: string } | null) {
  const password = typed?.password || draft.secrets.adminPassword || "";
  const result = parsed(
    adminInput.safeParse({
      name: draftValue(draft, "administrator", "name"),
      email: draftValue(draft, "administrator", "email"),
      password,
    }),
  );
  const errors = result.ok ? {} : { ...result.errors };
  const minLength = compliancePresets[complianceOf(draft)].policy.passwordMinLength;
  if (!password) errors.password = `Choose a password of at least ${minLength} characters.`;
  else {
    const strength = checkPasswordStrength(password, { email: draftValue(draft, "administrator", "email"), minLength });
    if (!strength.ok) errors.password = strength.message;
  }
  if (typed?.password && typed.password !== typed.confirm) errors.confirm = "The two passwords are not the same.";
  if (Object.keys(errors).length > 0) {
    // The password never goes back into the page, so a refused form asks for it again.
    if (typed?.password && !errors.password) errors.password = "Re-enter your password.";
    return { ok: false, errors } as const;
  }
  return result;
}

export function checkTwoFactor(draft: WizardDraft, code: string): StepCheck<number> {
  if (draft.totpStep !== null && code.trim() === "") return { ok: true, data: draft.totpStep };
  const digits = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(digits)) return { ok: false, errors: { code: "Enter the 6-digit code from your app." } };
  const step = matchTotpStep(draft.totpKey, digits, draft.totpStep);
  if (step === null) {
    return {
      ok: false,
      errors: { code: "That code is not right. Check that your phone's clock is correct and try the current code." },
    };
  }
  return { ok: true, data: step };
}

export function checkCompliance(draft: WizardDraft) {
  const result = parsed(
    complianceStep.safeParse({ complianceLevel: draftValue(draft, "compliance", "complianceLevel") }),
  );
  if (!result.ok) return { ok: false, errors: { complianceLevel: "Choose a compliance preset." } } as const;
  const preset = compliancePresets[result.data.complianceLevel];
  const password = draft.secrets.adminPassword ?? "";
  if (password && password.length < preset.policy.passwordMinLength) {
    return {
      ok: false,
      errors: {
        complianceLevel: `${preset.label} needs an admin password of at least ${preset.policy.passwordMinLength} characters. Go back to Administrator and choose a longer one, or pick another preset.`,
      },
    } as const;
  }
  return result;
}

export function checkEmail(draft: WizardDraft) {
  const v = (field: string) => draftValue(draft, "email", field);
  const provider = v("provider");
  if (provider === "resend" || provider === "sendgrid") {
    // Nothing is stored yet at setup: an empty key would configure a provider that refuses every message.
    const apiKey = draft.secrets[`${provider}ApiKey`];
    if (!apiKey) return { ok: false, errors: { apiKey: "Enter the API key." } } as const;
    return parsed(emailStep.safeParse({ provider, apiKey, from: v("from") }));
  }
  if (provider !== "smtp") return parsed(emailStep.safeParse({ provider: "log" }));
  return parsed(
    emailStep.safeParse({
      provider: "smtp",
      host: v("host"),
      port: v("port") || undefined,
      secure: v("secure") === "on",
      username: v("username"),
      password: draft.secrets.smtpPassword ?? "",
      from: v("from"),
    }),
  );
}

export function checkBackups(draft: WizardDraft) {
  const v = (field: string) => draftValue(draft, "backups", field);
  if (v("enabled") !== "true") return parsed(backupsStep.safeParse({ enabled: false }));
  return parsed(
    backupsStep.safeParse({
      enabled: true,
      bucket: blankToUndefined(v("bucket")),
      endpoint: blankToUndefined(v("endpoint")),
      region: blankToUndefined(v("region")),
      path: blankToUndefined(v("path")),
      accessKeyId: blankToUndefined(v("accessKeyId")),
      secretAccessKey: blankToUndefined(draft.secrets.backupSecretAccessKey ?? ""),
      forcePathStyle: v("forcePathStyle") === "on",
      directory: blankToUndefined(v("directory")),
      retentionDays: blankToUndefined(v("retentionDays")),
    }),
  );
}

export function checkAi(draft: WizardDraft) {
  return parsed(
    aiStep.safeParse({
      chatModel: blankToUndefined(draftValue(draft, "ai", "chatModel")),
      embeddingModel: blankToUndefined(draftValue(draft, "ai", "embeddingModel")),
    }),
  );
}

export function checkAgents(draft: WizardDraft) {
  const result = agentsStep.safeParse({ defaults: agentsOf(draft) });
  if (!result.success) return { ok: false, errors: { agents: "Choose agents from the list." } } as const;
  return { ok: true, data: result.data.defaults } as const;
}
