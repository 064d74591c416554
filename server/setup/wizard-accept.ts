import { type SetupInput, setupInput } from "./schemas.ts";
import {
  type DraftSecrets,
  draftList,
  draftValue,
  type FormValues,
  type StepId,
  type WizardDraft,
  wizardSteps,
} from "./wizard-draft.ts";
import {
  agentsOf,
  checkAdministrator,
  checkAgents,
  checkAi,
  checkBackups,
  checkCompliance,
  checkEmail,
  checkOrganisation,
  checkTwoFactor,
  complianceOf,
  industryOf,
  type StepCheck,
} from "./wizard-steps.ts";

/** Secret fields of each step: taken out of the typed values, kept in `draft.secrets` once accepted. */
const secretFields: Partial<Record<StepId, { field: string; key: keyof DraftSecrets }>> = {
  administrator: { field: "password", key: "adminPassword" },
  email: { field: "password", key: "smtpPassword" },
  backups: { field: "secretAccessKey", key: "backupSecretAccessKey" },
};
const notKept = new Set(["password", "apiKey", "confirm", "secretAccessKey", "code", "nav", "_csrf"]);

/** The step's secret field; e-mail's is the API key for Resend and SendGrid, the SMTP password otherwise. */
function secretFieldOf(step: StepId, form: FormValues): { field: string; key: keyof DraftSecrets } | undefined {
  if (step === "email" && (form.provider === "resend" || form.provider === "sendgrid"))
    return { field: "apiKey", key: `${form.provider}ApiKey` };
  return secretFields[step];
}

function checkStep(draft: WizardDraft, step: StepId, form: FormValues): StepCheck<unknown> {
  const text = (field: string) => (typeof form[field] === "string" ? (form[field] as string) : "");
  switch (step) {
    case "organisation":
      return checkOrganisation(draft);
    case "administrator":
      return checkAdministrator(
        draft,
        form.password === undefined ? null : { password: text("password"), confirm: text("confirm") },
      );
    case "two-factor":
      return checkTwoFactor(draft, text("code"));
    case "compliance":
      return checkCompliance(draft);
    case "email":
      return checkEmail(draft);
    case "backups":
      return checkBackups(draft);
    case "ai":
      return checkAi(draft);
    case "agents":
      return checkAgents(draft);
    case "review":
      return { ok: true, data: null };
  }
}

/**
 * Takes one step's form: keeps its typed values (so back and next lose nothing), checks them
 * with that step's part of setupInput and, when they pass, keeps the step's secret too.
 */
export function acceptStep(draft: WizardDraft, step: StepId, form: FormValues): StepCheck<unknown> {
  if (step !== "two-factor" && step !== "review") {
    draft.values[step] = Object.fromEntries(Object.entries(form).filter(([field]) => !notKept.has(field)));
  }
  // An unticked checkbox sends nothing: no agents in the form means none were chosen.
  if (step === "agents") draft.values.agents = { agents: draftList(draft, "agents", "agents") ?? [] };
  const secret = secretFieldOf(step, form);
  const previous = secret ? draft.secrets[secret.key] : undefined;
  const typed = secret ? form[secret.field] : undefined;
  if (secret && typeof typed === "string" && typed !== "") draft.secrets[secret.key] = typed;
  const result = checkStep(draft, step, form);
  if (step === "two-factor" && result.ok && typeof result.data === "number") draft.totpStep = result.data;
  if (!result.ok && secret) {
    if (previous === undefined) delete draft.secrets[secret.key];
    else draft.secrets[secret.key] = previous;
  }
  return result;
}

/** "Skip" on an optional step: e-mail goes to the draft log, no backups, no models. */
export function skipStep(draft: WizardDraft, step: StepId, form: FormValues): StepCheck<unknown> {
  if (step === "email") return acceptStep(draft, step, { ...form, provider: "log" });
  if (step === "backups") return acceptStep(draft, step, { ...form, enabled: "false" });
  if (step === "ai") return acceptStep(draft, step, { chatModel: "", embeddingModel: "" });
  return acceptStep(draft, step, form);
}

export type ReviewProblem = { step: StepId; message: string };

/** Checks every step again and the whole setup with the one schema; the problems name their step. */
export function reviewDraft(
  draft: WizardDraft,
): { ok: true; input: SetupInput } | { ok: false; problems: ReviewProblem[] } {
  const problems: ReviewProblem[] = [];
  const checks: [StepId, StepCheck<unknown>][] = [
    ["organisation", checkOrganisation(draft)],
    ["administrator", checkAdministrator(draft, null)],
    [
      "two-factor",
      draft.totpStep !== null
        ? { ok: true, data: true }
        : { ok: false, errors: { code: "Link an authenticator app." } },
    ],
    ["compliance", checkCompliance(draft)],
    ["email", checkEmail(draft)],
    ["backups", checkBackups(draft)],
    ["ai", checkAi(draft)],
    ["agents", checkAgents(draft)],
  ];
  for (const [step, check] of checks) {
    if (!check.ok) for (const message of Object.values(check.errors)) problems.push({ step, message });
  }
  if (problems.length > 0) return { ok: false, problems };
  const email = checkEmail(draft);
  const backups = checkBackups(draft);
  const ai = checkAi(draft);
  const result = setupInput.safeParse({
    organization: {
      name: draftValue(draft, "organisation", "name"),
      industry: industryOf(draft),
      complianceLevel: complianceOf(draft),
      timeZone: draftValue(draft, "organisation", "timeZone") || undefined,
    },
    admin: {
      name: draftValue(draft, "administrator", "name"),
      email: draftValue(draft, "administrator", "email"),
      password: draft.secrets.adminPassword ?? "",
    },
    email: email.ok ? email.data : undefined,
    backups: backups.ok ? backups.data : undefined,
    ai: ai.ok ? ai.data : undefined,
    agents: { defaults: agentsOf(draft) },
  });
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ step: stepOfPath(issue.path), message: issue.message })),
  };
}

const stepsBySection: Record<string, StepId> = {
  organization: "organisation",
  admin: "administrator",
  email: "email",
  backups: "backups",
  ai: "ai",
  agents: "agents",
};

function stepOfPath(path: PropertyKey[]): StepId {
  if (path[0] === "organization" && path[1] === "complianceLevel") return "compliance";
  return stepsBySection[String(path[0])] ?? "review";
}

/** The step to show after accepting `index`, and how far the person may now go. */
export function advance(draft: WizardDraft, index: number): number {
  const next = Math.min(index + 1, wizardSteps.length - 1);
  draft.reached = Math.max(draft.reached, next);
  return next;
}
