import type { Db } from "../db.ts";
import type { AppDeps } from "../http/env.ts";
import { AppError, type ErrorDetail } from "../http/errors.ts";
import { scheduleReembedding } from "../knowledge/ingestion/reembed.ts";
import { ENCODER_ONLY_ARCHITECTURES } from "./gguf-facts.ts";
import { auditModelChange, type ModelActor } from "./model-actor.ts";
import { findChosenModelIds, type ModelRole, modelRoles, saveChosenModelId } from "./model-selection.ts";
import { findModelById } from "./models-service.ts";

export type RoleChoice = Partial<Record<ModelRole, string | null>>;

/** Which model serves each role: the admin's choice and what actually serves it (the environment wins). */
export type RolesView = Record<
  ModelRole,
  { chosenId: string | null; servedBy: { id: string; name: string; from: string } | null }
>;

export function describeRoles(deps: Pick<AppDeps, "db" | "ai">): RolesView {
  const chosen = findChosenModelIds(deps.db);
  const chat = deps.ai.chatModel();
  const embedding = deps.ai.embeddingModel();
  const status = deps.ai.status?.();
  return {
    chat: {
      chosenId: chosen.chat,
      servedBy: chat ? { id: chat.id, name: chat.name, from: status?.chat?.from ?? "setting" } : null,
    },
    embedding: {
      chosenId: chosen.embedding,
      servedBy: embedding
        ? { id: embedding.id, name: embedding.name, from: status?.embedding?.from ?? "setting" }
        : null,
    },
  };
}

/**
 * Chooses the model for chat and/or embeddings (null: none). Only ready models qualify, and an
 * encoder-only model cannot chat. A new embedding model re-embeds every document in the
 * background; the new models load in the background too.
 */
export function chooseModels(deps: AppDeps, actor: ModelActor, choice: RoleChoice): RolesView {
  const changed = saveModelChoice(deps.db, actor, choice);
  if (changed.length > 0) deps.ai.warmUp?.();
  if (changed.includes("embedding")) scheduleReembedding(deps);
  return describeRoles(deps);
}

/** Validates and saves a choice, recording what changed; returns the roles that changed. */
export function saveModelChoice(db: Db, actor: ModelActor, choice: RoleChoice): ModelRole[] {
  const before = findChosenModelIds(db);
  const details: ErrorDetail[] = [];
  for (const role of modelRoles) {
    const id = choice[role];
    if (id === undefined || id === null) continue;
    const model = findModelById(db, id);
    if (!model) details.push({ path: role, message: "No such model." });
    else if (model.status !== "ready")
      details.push({ path: role, message: `${model.name} is not ready (${model.status}).` });
    else if (role === "chat" && ENCODER_ONLY_ARCHITECTURES.has(model.architecture ?? "")) {
      details.push({
        path: role,
        message: `${model.name} is an embedding-only model (${model.architecture}); it cannot chat.`,
      });
    }
  }
  if (details.length > 0) throw new AppError("validation_failed", "That choice of models is not possible.", details);
  const changed: Record<string, { from: string | null; to: string | null }> = {};
  for (const role of modelRoles) {
    const id = choice[role];
    if (id === undefined || id === before[role]) continue;
    saveChosenModelId(db, role, id);
    changed[role] = { from: before[role], to: id };
  }
  if (Object.keys(changed).length > 0) auditModelChange(db, actor, "ai.models_chosen", null, changed);
  return modelRoles.filter((role) => role in changed);
}
