import type { Context } from "hono";
import type { AiSettingsPageProps } from "../../views/pages/settings/ai.tsx";
import type { RolesFormProps } from "../../views/pages/settings/ai-forms.tsx";
import type { ModelListProps } from "../../views/pages/settings/ai-models.tsx";
import type { ServingField, ServingFormProps } from "../../views/pages/settings/ai-serving.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin } from "../http/guards.ts";
import { runtimeStatus } from "./api.ts";
import { physicalCores } from "./cpu-cores.ts";
import { findChosenModelIds } from "./model-selection.ts";
import { listModels, rolesOf } from "./models-service.ts";
import { modelJson } from "./schemas.ts";
import { findServingSettings, type ServingSettings, servingSettingsSchema } from "./serving-settings.ts";

type NumberKey = Exclude<keyof ServingSettings, "threads">;

const shape = servingSettingsSchema.shape;
const bounds = (key: NumberKey) => ({ min: shape[key].minValue ?? 0, max: shape[key].maxValue ?? 1e9 });

/** The form's fields take their bounds from the one schema, so the form never offers what the API refuses. */
export const servingFields: (ServingField & { name: NumberKey })[] = (
  [
    { name: "contextSize", label: "Context size (tokens)", hint: "Capped at each model's own.", step: 1 },
    { name: "maxTokens", label: "Longest answer (tokens)", hint: "Caps every assistant answer.", step: 1 },
    { name: "temperature", label: "Temperature", hint: "Lower is more literal.", step: 0.05 },
    { name: "topP", label: "Top-p", hint: "1 turns it off.", step: 0.05 },
    { name: "concurrency", label: "Answers at once", hint: "Each needs its own context memory.", step: 1 },
    { name: "queueSize", label: "Waiting line", hint: "Beyond it the API answers 503.", step: 1 },
    { name: "timeoutSeconds", label: "Timeout (seconds)", hint: "Waiting included.", step: 1 },
  ] as const
).map((field) => ({ ...field, ...bounds(field.name) }));

/** Whether the caller may change the box's models: its instance admin (as requireInstanceAdmin decides). */
export function canChangeModels(c: Context<AppEnv>): boolean {
  return isInstanceAdmin(c);
}

export function modelListProps(c: Context<AppEnv>, error: string | null = null): ModelListProps {
  const { db } = c.var.deps;
  return {
    models: listModels(db).map((model) => modelJson(model, rolesOf(db, model.id))),
    csrf: formCsrf(c),
    error,
    canChange: canChangeModels(c),
  };
}

export function rolesFormProps(c: Context<AppEnv>, state: Partial<RolesFormProps> = {}): RolesFormProps {
  const { db, config } = c.var.deps;
  const name = (path: string | null) => path?.split("/").at(-1) ?? null;
  return {
    models: listModels(db).map((model) => modelJson(model, [])),
    chosen: findChosenModelIds(db),
    overridden: { chat: name(config.ai.chatModelPath), embedding: name(config.ai.embeddingModelPath) },
    errors: {},
    notice: null,
    csrf: formCsrf(c),
    canChange: canChangeModels(c),
    ...state,
  };
}

export function servingFormProps(c: Context<AppEnv>, state: Partial<ServingFormProps> = {}): ServingFormProps {
  const { db, config } = c.var.deps;
  const saved = findServingSettings(db);
  const values = Object.fromEntries(
    Object.entries(saved).map(([key, value]) => [key, value === null ? "" : String(value)]),
  );
  return {
    fields: servingFields,
    values,
    errors: {},
    physicalCores: physicalCores(),
    threadsFromEnvironment: config.ai.threads,
    notice: null,
    csrf: formCsrf(c),
    canChange: canChangeModels(c),
    ...state,
  };
}

/** Reads the serving form: numbers stay numbers only when they are numbers; empty threads is null. */
export function servingCandidate(values: Record<string, string>): Record<string, unknown> {
  const number = (text: string | undefined) => {
    const trimmed = (text ?? "").trim();
    return trimmed === "" ? undefined : Number(trimmed);
  };
  const candidate: Record<string, unknown> = { threads: number(values.threads) ?? null };
  for (const field of servingFields) candidate[field.name] = number(values[field.name]);
  return candidate;
}

/** Settings → AI models: the runtime's state, the models, the roles and serving forms, a notice after a redirect. */
export function aiSettingsPageProps(c: Context<AppEnv>, notice: string | null): AiSettingsPageProps {
  return {
    status: runtimeStatus(c.var.deps.ai),
    list: modelListProps(c),
    roles: rolesFormProps(c),
    serving: servingFormProps(c),
    notice,
    csrf: formCsrf(c),
    switcher: organizationSwitcher(c),
    canChange: canChangeModels(c),
  };
}
