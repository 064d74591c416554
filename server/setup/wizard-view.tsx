/** @jsxImportSource hono/jsx */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Child } from "hono/jsx";
import { compliancePresets } from "../../models/security-policy.ts";
import { type ReviewSection, ReviewStep } from "../../views/pages/setup/step-review.tsx";
import { AdministratorStep, OrganisationStep, TwoFactorStep } from "../../views/pages/setup/steps-account.tsx";
import { AgentsStep, agentDescriptions, ComplianceStep } from "../../views/pages/setup/steps-policy.tsx";
import { AiStep, BackupsStep, EmailStep } from "../../views/pages/setup/steps-services.tsx";
import { WizardShell } from "../../views/pages/setup/wizard-shell.tsx";
import { qrCodeSvg } from "../auth/two-factor/qr-code.ts";
import { formatTotpKey, totpKeyUri } from "../auth/two-factor/totp.ts";
import { DEFAULT_BACKUP_RETENTION_DAYS } from "../backup/settings.ts";
import type { EmailSettingsInput } from "../mail/settings-schema.ts";
import { knownTimeZones } from "../tools/zoned-time.ts";
import { industries, industryTemplates } from "./templates.ts";
import type { ReviewProblem } from "./wizard-accept.ts";
import { draftValue, type FieldErrors, stepAt, type WizardDraft, wizardSteps } from "./wizard-draft.ts";
import { agentsOf, checkAi, checkBackups, checkEmail, complianceOf, industryOf } from "./wizard-steps.ts";

export type StepViewOptions = {
  errors?: FieldErrors;
  notice?: string;
  problems?: ReviewProblem[];
  dataDir: string;
};

/** The wizard at step `index`: the draft's values, with `errors` beside their fields. */
export async function renderWizardStep(draft: WizardDraft, index: number, options: StepViewOptions) {
  const step = stepAt(index);
  const errors = options.errors ?? {};
  const values = draft.values[step.id] ?? {};
  const props = { values, errors };
  const suggested = industryTemplates[industryOf(draft)];
  let body: Child;
  switch (step.id) {
    case "organisation":
      body = (
        <OrganisationStep
          {...props}
          industries={industries.map((id) => ({ id, label: industryTemplates[id].label }))}
          zones={knownTimeZones()}
        />
      );
      break;
    case "administrator": {
      const preset = compliancePresets[complianceOf(draft)];
      body = (
        <AdministratorStep
          {...props}
          passwordKept={draft.secrets.adminPassword !== undefined}
          minLength={preset.policy.passwordMinLength}
          presetLabel={preset.label}
        />
      );
      break;
    }
    case "two-factor": {
      const accountName = draftValue(draft, "administrator", "email") || "admin";
      const qrSvg = await qrCodeSvg(totpKeyUri(accountName, draft.totpKey));
      body = (
        <TwoFactorStep
          {...props}
          qrSvg={qrSvg}
          secret={formatTotpKey(draft.totpKey)}
          accountName={accountName}
          verified={draft.totpStep !== null}
        />
      );
      break;
    }
    case "compliance":
      body = <ComplianceStep {...props} chosen={complianceOf(draft)} suggested={suggested.suggestedCompliance} />;
      break;
    case "email":
      body = (
        <EmailStep {...props} passwordKept={draft.secrets.smtpPassword !== undefined} apiKeyKept={apiKeyKept(draft)} />
      );
      break;
    case "backups":
      body = (
        <BackupsStep
          {...props}
          secretKept={draft.secrets.backupSecretAccessKey !== undefined}
          retentionFloorDays={compliancePresets[complianceOf(draft)].backupRetentionDays ?? null}
        />
      );
      break;
    case "ai":
      body = <AiStep {...props} installed={listModelFiles(options.dataDir)} />;
      break;
    case "agents":
      body = <AgentsStep {...props} chosen={agentsOf(draft)} suggested={suggested.suggestedAgents} />;
      break;
    case "review":
      body = (
        <ReviewStep
          sections={reviewSections(draft)}
          problems={(options.problems ?? []).map((problem) => ({ ...problem, title: stepTitle(problem.step) }))}
        />
      );
      break;
  }
  return (
    <WizardShell
      steps={wizardSteps}
      index={index}
      reached={draft.reached}
      skippable={step.skippable}
      notice={options.notice}
    >
      {body}
    </WizardShell>
  );
}

function stepTitle(id: string): string {
  return wizardSteps.find((step) => step.id === id)?.title ?? id;
}

function listModelFiles(dataDir: string): string[] {
  const dir = join(dataDir, "models");
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".gguf")) : [];
}

function reviewSections(draft: WizardDraft): ReviewSection[] {
  const v = draftValue.bind(null, draft);
  const email = checkEmail(draft);
  const backups = checkBackups(draft);
  const ai = checkAi(draft);
  const agents = agentsOf(draft);
  const section = (step: ReviewSection["step"], lines: string[]) => ({ step, title: stepTitle(step), lines });
  return [
    section("organisation", [
      v("organisation", "name"),
      industryTemplates[industryOf(draft)].label,
      `Time zone: ${v("organisation", "timeZone") || "UTC"}`,
    ]),
    section("administrator", [`${v("administrator", "name")} <${v("administrator", "email")}>`, "Password set"]),
    section("two-factor", [draft.totpStep !== null ? "Authenticator app linked" : "Not linked yet"]),
    section("compliance", [compliancePresets[complianceOf(draft)].label]),
    section("email", [emailSummary(email.ok ? email.data : null)]),
    section("backups", [
      ...(backups.ok && backups.data.enabled
        ? [
            ...(backups.data.bucket ? [`S3 bucket ${backups.data.bucket}/${backups.data.path}`] : []),
            ...(backups.data.directory ? [`Directory ${backups.data.directory}`] : []),
            `Snapshots kept ${backups.data.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS} days`,
          ]
        : ["Not now"]),
    ]),
    section("ai", [
      ai.ok && (ai.data.chatModel || ai.data.embeddingModel)
        ? [ai.data.chatModel, ai.data.embeddingModel].filter(Boolean).join(", ")
        : "None yet",
    ]),
    section("agents", [
      agents.length > 0
        ? agents.map((id) => agentDescriptions[id as keyof typeof agentDescriptions]?.name ?? id).join(", ")
        : "None",
    ]),
  ];
}

const providerNames = { resend: "Resend", sendgrid: "SendGrid" } as const;

/** The review's line for the e-mail step. */
function emailSummary(email: EmailSettingsInput | null): string {
  if (!email || email.provider === "log") return "Draft log (no delivery yet)";
  if (email.provider === "smtp") return `SMTP ${email.host}:${email.port}, from ${email.from}`;
  if (email.provider === "resend" || email.provider === "sendgrid")
    return `${providerNames[email.provider]} (API key stored encrypted), from ${email.from}`;
  // Gmail and Outlook are connected with OAuth in Settings → E-mail: the wizard does not offer them.
  return "Connected in Settings → E-mail";
}

/** Whether the chosen API provider's key is already in the draft. */
function apiKeyKept(draft: WizardDraft): boolean {
  const provider = draftValue(draft, "email", "provider");
  if (provider !== "resend" && provider !== "sendgrid") return false;
  return draft.secrets[`${provider}ApiKey`] !== undefined;
}
