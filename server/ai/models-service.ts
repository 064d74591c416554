import { statSync } from "node:fs";
import { resolve } from "node:path";
import { desc, eq } from "drizzle-orm";
import { type AiModel, aiModels } from "../../models/ai.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import { AppError, notFound } from "../http/errors.ts";
import { newId } from "../tools/ids.ts";
import { type GgufFacts, hasGgufMagic, readGgufFacts } from "./gguf-facts.ts";
import { auditModelChange, type ModelActor } from "./model-actor.ts";
import {
  displayNameOf,
  ensureModelsDir,
  linkOrCopy,
  modelFileName,
  modelPath,
  removeModelFile,
  sha256OfFile,
} from "./model-files.ts";
import { cancelPull } from "./model-pull.ts";
import { findChosenModelIds, type ModelRole, modelRoles } from "./model-selection.ts";

export type ModelDeps = { config: Config; db: Db };

/** Every installed (or downloading) model, newest first. */
export function listModels(db: Db): AiModel[] {
  return db.select().from(aiModels).orderBy(desc(aiModels.createdAt), desc(aiModels.id)).all();
}

export function findModelById(db: Db, id: string): AiModel | null {
  return db.select().from(aiModels).where(eq(aiModels.id, id)).get() ?? null;
}

/** The model, or 404 "No such model.". */
export function modelOrNotFound(db: Db, id: string): AiModel {
  const model = findModelById(db, id);
  if (!model) throw notFound("model");
  return model;
}

/** The roles a model serves by the admin's choice. */
export function rolesOf(db: Db, id: string): ModelRole[] {
  const chosen = findChosenModelIds(db);
  return modelRoles.filter((role) => chosen[role] === id);
}

/** The columns GGUF facts fill. */
export function factColumns(facts: GgufFacts) {
  return {
    architecture: facts.architecture,
    parameters: facts.parameters,
    quantization: facts.quantization,
    contextLength: facts.contextLength,
    embeddingLength: facts.embeddingLength,
  };
}

/**
 * Installs a GGUF file already on the box: hard-linked into models/ when it is on the same
 * file system, copied otherwise; its header read and its sha256 recorded.
 */
export async function importModel(
  deps: ModelDeps,
  actor: ModelActor,
  input: { path: string; name?: string | undefined },
): Promise<AiModel> {
  const source = resolve(input.path);
  const invalid = (message: string) =>
    new AppError("validation_failed", "The file cannot be imported.", [{ path: "path", message }]);
  let isFile = false;
  try {
    isFile = statSync(source).isFile();
  } catch {
    throw invalid("No file at this path on the box.");
  }
  if (!isFile) throw invalid("This path is not a file.");
  if (!hasGgufMagic(source)) throw invalid("This is not a GGUF model file.");
  let facts: GgufFacts;
  try {
    facts = await readGgufFacts(source);
  } catch (error) {
    throw invalid(`The GGUF header cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const id = newId("mdl");
  const fileName = modelFileName(source, id);
  ensureModelsDir(deps.config.dataDir);
  const target = modelPath(deps.config.dataDir, fileName);
  const how = await linkOrCopy(source, target, deps.config.dataDir, deps.config.minFreeDiskBytes);
  try {
    const sha256 = await sha256OfFile(target);
    const size = statSync(target).size;
    const row = deps.db
      .insert(aiModels)
      .values({
        id,
        name: input.name?.trim() || facts.name || displayNameOf(source),
        fileName,
        source: `import:${source}`,
        status: "ready",
        sha256,
        sizeBytes: size,
        downloadedBytes: size,
        ...factColumns(facts),
      })
      .returning()
      .get();
    auditModelChange(deps.db, actor, "ai.model_imported", id, { name: row.name, sha256, how });
    return row;
  } catch (error) {
    removeModelFile(deps.config.dataDir, fileName);
    throw error;
  }
}

/**
 * Deletes a model and its file. A model that serves a role is refused until another model
 * (or none) is chosen, so that nothing in use disappears; a download in progress is stopped.
 */
export function deleteModel(deps: ModelDeps, actor: ModelActor, id: string): void {
  const row = modelOrNotFound(deps.db, id);
  const roles = rolesOf(deps.db, id);
  if (roles.length > 0) {
    throw new AppError(
      "conflict",
      `${row.name} serves ${roles.join(" and ")}: choose another model (or none) for that first.`,
    );
  }
  cancelPull(id);
  deps.db.delete(aiModels).where(eq(aiModels.id, id)).run();
  removeModelFile(deps.config.dataDir, row.fileName);
  auditModelChange(deps.db, actor, "ai.model_deleted", id, { name: row.name });
}

/** Downloads that were running when the process stopped cannot resume: mark them failed at start. */
export function failInterruptedPulls(db: Db): number {
  return db
    .update(aiModels)
    .set({ status: "failed", statusReason: "The download was interrupted by a restart. Delete it and pull again." })
    .where(eq(aiModels.status, "downloading"))
    .returning({ id: aiModels.id })
    .all().length;
}
