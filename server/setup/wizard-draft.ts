import { generateSecureRandomString } from "../auth/sessions/tokens.ts";
import { generateTotpKey } from "../auth/two-factor/totp.ts";

/** The wizard's screens, in order. `skippable` steps offer a "Skip" button. */
export const wizardSteps = [
  { id: "organisation", title: "Organisation", skippable: false },
  { id: "administrator", title: "Administrator", skippable: false },
  { id: "two-factor", title: "Two-factor", skippable: false },
  { id: "compliance", title: "Compliance", skippable: false },
  { id: "email", title: "E-mail", skippable: true },
  { id: "backups", title: "Backups", skippable: true },
  { id: "ai", title: "AI models", skippable: true },
  { id: "agents", title: "Agents", skippable: false },
  { id: "review", title: "Review", skippable: false },
] as const;

export type StepId = (typeof wizardSteps)[number]["id"];
export type FormValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string>;

/** Secrets typed into the wizard: kept in memory only, never rendered back into a page. */
/** Each provider's secret apart, so that switching providers never sends one provider's key to another. */
export type DraftSecrets = {
  adminPassword?: string;
  smtpPassword?: string;
  resendApiKey?: string;
  sendgridApiKey?: string;
  backupSecretAccessKey?: string;
};

/**
 * What someone has entered so far. It lives in this process's memory only (the password and
 * the TOTP key must not touch the disk before setup completes); a restart starts over.
 */
export type WizardDraft = {
  id: string;
  /** Index of the step shown last, where /setup resumes. */
  current: number;
  /** Index of the furthest step that may be opened: every step before it was accepted. */
  reached: number;
  /** The typed values of each step, secrets excluded. */
  values: Partial<Record<StepId, FormValues>>;
  secrets: DraftSecrets;
  /** The admin's TOTP key (20 random bytes), stored on the account when setup completes. */
  totpKey: Uint8Array;
  /** The time step of the code that proved the app works; null until then. */
  totpStep: number | null;
  expiresAt: number;
};

export function stepIndex(id: string): number {
  return wizardSteps.findIndex((step) => step.id === id);
}

export function stepAt(index: number): (typeof wizardSteps)[number] {
  const step = wizardSteps[Math.min(Math.max(index, 0), wizardSteps.length - 1)];
  if (!step) throw new Error("the wizard has no steps");
  return step;
}

export function draftValue(draft: WizardDraft, step: StepId, field: string): string {
  const value = draft.values[step]?.[field];
  return typeof value === "string" ? value : "";
}

export function draftList(draft: WizardDraft, step: StepId, field: string): string[] | null {
  const value = draft.values[step]?.[field];
  if (value === undefined) return null;
  return Array.isArray(value) ? value : [value];
}

const DRAFT_LIFETIME_MS = 60 * 60_000;
// Only holders of the setup token can open a draft, so this bound only guards against a runaway client.
const MAX_DRAFTS = 20;

/** In-memory drafts by id; each lives an hour from its last use. */
export class DraftStore {
  readonly #drafts = new Map<string, WizardDraft>();

  create(now = Date.now()): WizardDraft {
    this.#sweep(now);
    const draft: WizardDraft = {
      id: generateSecureRandomString(),
      current: 0,
      reached: 0,
      values: {},
      secrets: {},
      totpKey: generateTotpKey(),
      totpStep: null,
      expiresAt: now + DRAFT_LIFETIME_MS,
    };
    this.#drafts.set(draft.id, draft);
    return draft;
  }

  find(id: string, now = Date.now()): WizardDraft | null {
    const draft = this.#drafts.get(id);
    if (!draft || draft.expiresAt <= now) return null;
    draft.expiresAt = now + DRAFT_LIFETIME_MS;
    return draft;
  }

  delete(id: string): void {
    this.#drafts.delete(id);
  }

  #sweep(now: number): void {
    for (const [id, draft] of this.#drafts) if (draft.expiresAt <= now) this.#drafts.delete(id);
    while (this.#drafts.size >= MAX_DRAFTS) {
      const oldest = this.#drafts.keys().next().value;
      if (oldest === undefined) break;
      this.#drafts.delete(oldest);
    }
  }
}

/** The drafts of this process: one wizard per browser that opened the setup link. */
export const wizardDrafts = new DraftStore();
