import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { AiConfig } from "../config.ts";
import type { Db } from "../db.ts";
import { physicalCores } from "./cpu-cores.ts";
import { auditModelChange, type ModelActor } from "./model-actor.ts";

/** Instance setting: how the box serves its models (one value for the whole box). */
export const SERVING_SETTINGS_KEY = "ai.serving";

const whole = (min: number, max: number, what: string) =>
  z
    .number({ error: `Enter a whole number of ${what}.` })
    .int(`Enter a whole number of ${what}.`)
    .min(min, `Use at least ${min} ${what}.`)
    .max(max, `Use at most ${max} ${what}.`);

const fraction = (min: number, max: number) =>
  z
    .number({ error: `Enter a number from ${min} to ${max}.` })
    .min(min, `Use a number from ${min} to ${max}.`)
    .max(max, `Use a number from ${min} to ${max}.`);

/**
 * The bounds keep a box safe whatever an admin types: a context or a queue beyond them would
 * let one setting exhaust memory, a thread count beyond the cores only slows every request.
 */
export const servingSettingsSchema = z.object({
  threads: whole(1, 256, "threads").nullable().describe("llama.cpp threads; null uses the physical cores."),
  contextSize: whole(256, 131_072, "tokens").describe("Tokens of context per request (capped at the model's own)."),
  temperature: fraction(0, 2),
  topP: fraction(0, 1),
  maxTokens: whole(1, 8192, "tokens").describe("Most tokens one answer may generate."),
  concurrency: whole(1, 8, "requests").describe("Generations that run at once."),
  queueSize: whole(0, 256, "requests").describe("Generations that may wait; beyond this the API answers 503."),
  timeoutSeconds: whole(1, 3600, "seconds").describe("Longest one request may take, waiting included."),
});
export type ServingSettings = z.infer<typeof servingSettingsSchema>;

export const defaultServingSettings: ServingSettings = {
  threads: null,
  contextSize: 4096,
  temperature: 0.3,
  topP: 0.9,
  maxTokens: 512,
  concurrency: 1,
  queueSize: 8,
  timeoutSeconds: 120,
};

/** The admin's serving settings, defaults where none were saved (or a saved value fell out of bounds). */
export function findServingSettings(db: Db): ServingSettings {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, SERVING_SETTINGS_KEY)).get();
  const parsed = servingSettingsSchema.partial().safeParse(row?.value ?? {});
  return { ...defaultServingSettings, ...(parsed.success ? parsed.data : {}) };
}

/** Saves validated settings and returns them. */
export function saveServingSettings(db: Db, settings: ServingSettings, now = new Date()): ServingSettings {
  db.insert(instanceSettings)
    .values({ key: SERVING_SETTINGS_KEY, value: settings, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: settings, updatedAt: now } })
    .run();
  return settings;
}

/** What the runtime uses: the saved settings with the operator's overrides and the cores filled in. */
export type EffectiveServing = Omit<ServingSettings, "threads"> & { threads: number; threadsFrom: ThreadSource };
export type ThreadSource = "environment" | "setting" | "physical cores";

export function effectiveServing(db: Db, ai: AiConfig): EffectiveServing {
  const saved = findServingSettings(db);
  if (ai.threads !== null) return { ...saved, threads: ai.threads, threadsFrom: "environment" };
  if (saved.threads !== null) return { ...saved, threads: saved.threads, threadsFrom: "setting" };
  return { ...saved, threads: physicalCores(), threadsFrom: "physical cores" };
}

/** Saves an admin's change, records what changed, and reloads the models with it in the background. */
export function updateServingSettings(
  deps: { db: Db; ai: { warmUp?: () => void } },
  actor: ModelActor,
  settings: ServingSettings,
): ServingSettings {
  const before = findServingSettings(deps.db);
  const changed = Object.fromEntries(
    (Object.keys(settings) as (keyof ServingSettings)[])
      .filter((key) => before[key] !== settings[key])
      .map((key) => [key, { from: before[key], to: settings[key] }]),
  );
  saveServingSettings(deps.db, settings);
  if (Object.keys(changed).length > 0) {
    auditModelChange(deps.db, actor, "ai.serving_changed", null, changed);
    deps.ai.warmUp?.();
  }
  return settings;
}
