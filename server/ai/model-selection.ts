import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { basename, join } from "node:path";
import { eq } from "drizzle-orm";
import { type AiModel, aiModels } from "../../models/ai.ts";
import { instanceSettings } from "../../models/instance.ts";
import type { AiConfig } from "../config.ts";
import type { Db } from "../db.ts";

export type ModelRole = "chat" | "embedding";
export const modelRoles: readonly ModelRole[] = ["chat", "embedding"];

/** Instance settings naming the model row that serves each role. */
export const roleSettingKeys: Record<ModelRole, string> = {
  chat: "ai.chatModelId",
  embedding: "ai.embeddingModelId",
};

/** The model that serves a role right now, and why. */
export type ServedModel = {
  /** The ai_models id, or `file:<hash>` for a file named by the environment. */
  id: string;
  name: string;
  path: string;
  from: "environment" | "setting";
  /** From the model row; null for an environment file until its header is read. */
  contextLength: number | null;
  embeddingLength: number | null;
};

/** `<data dir>/models`, where every installed model file lives. */
export function modelsDir(dataDir: string): string {
  return join(dataDir, "models");
}

/** The model ids an admin chose, null where none is chosen. */
export function findChosenModelIds(db: Db): Record<ModelRole, string | null> {
  const read = (key: string) => {
    const value = db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get()?.value;
    return typeof value === "string" && value !== "" ? value : null;
  };
  return { chat: read(roleSettingKeys.chat), embedding: read(roleSettingKeys.embedding) };
}

export function saveChosenModelId(db: Db, role: ModelRole, modelId: string | null, now = new Date()): void {
  const key = roleSettingKeys[role];
  if (modelId === null) {
    db.delete(instanceSettings).where(eq(instanceSettings.key, key)).run();
    return;
  }
  db.insert(instanceSettings)
    .values({ key, value: modelId, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: modelId, updatedAt: now } })
    .run();
}

/**
 * Which file serves `role`: the operator's environment path first, else the admin's choice
 * when that model is installed and ready; null when neither.
 */
export function findServedModel(db: Db, ai: AiConfig, dataDir: string, role: ModelRole): ServedModel | null {
  const envPath = role === "chat" ? ai.chatModelPath : ai.embeddingModelPath;
  return envPath ? environmentServedModel(envPath) : findChosenServedModel(db, dataDir, role);
}

/** A file named by OPSBOX_CHAT_MODEL or OPSBOX_EMBEDDING_MODEL. */
export function environmentServedModel(path: string): ServedModel {
  return {
    id: environmentModelId(path),
    name: basename(path).replace(/\.gguf$/i, ""),
    path,
    from: "environment",
    contextLength: null,
    embeddingLength: null,
  };
}

/** The admin's choice for `role`, when that model is installed and ready. */
export function findChosenServedModel(db: Db, dataDir: string, role: ModelRole): ServedModel | null {
  const chosen = findChosenModelIds(db)[role];
  if (!chosen) return null;
  const row = db.select().from(aiModels).where(eq(aiModels.id, chosen)).get();
  if (row?.status !== "ready") return null;
  return servedFromRow(row, dataDir);
}

function servedFromRow(row: AiModel, dataDir: string): ServedModel {
  return {
    id: row.id,
    name: row.name,
    path: join(modelsDir(dataDir), row.fileName),
    from: "setting",
    contextLength: row.contextLength,
    embeddingLength: row.embeddingLength,
  };
}

/**
 * A stable id for a file the environment names: its path and size, so that vectors made by one
 * file are never mixed with another's put at the same path (the size almost always differs).
 */
export function environmentModelId(path: string): string {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // A file that vanished keeps its path-only id; loading it fails with a clear message.
  }
  return `file:${createHash("sha256").update(`${path}\0${size}`).digest("hex").slice(0, 16)}`;
}
