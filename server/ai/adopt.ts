import { existsSync, readdirSync, statSync } from "node:fs";
import { eq } from "drizzle-orm";
import { aiModels } from "../../models/ai.ts";
import { instanceSettings } from "../../models/instance.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../tools/ids.ts";
import { readGgufFacts } from "./gguf-facts.ts";
import { displayNameOf, modelPath, sha256OfFile } from "./model-files.ts";
import { findChosenModelIds, modelRoles, modelsDir, saveChosenModelId } from "./model-selection.ts";
import { factColumns } from "./models-service.ts";

type AdoptDeps = { config: Config; db: Db; log: Logger };

/**
 * Registers GGUF files an operator copied into `<data dir>/models/` by hand, and applies the
 * file names the setup wizard recorded (instance setting "ai": chatModel, embeddingModel) as
 * the admin's choice where none was made since. Runs in the background at start; returns
 * whether a choice changed, so that the caller can load the models.
 */
export async function adoptModelFiles(deps: AdoptDeps): Promise<boolean> {
  const dir = modelsDir(deps.config.dataDir);
  if (!existsSync(dir)) return applySetupChoice(deps.db);
  const known = new Set(
    deps.db
      .select({ fileName: aiModels.fileName })
      .from(aiModels)
      .all()
      .map((row) => row.fileName),
  );
  for (const fileName of readdirSync(dir)) {
    if (!fileName.toLowerCase().endsWith(".gguf") || fileName.startsWith(".") || known.has(fileName)) continue;
    const path = modelPath(deps.config.dataDir, fileName);
    try {
      if (!statSync(path).isFile()) continue;
      const facts = await readGgufFacts(path);
      const sha256 = await sha256OfFile(path);
      const size = statSync(path).size;
      const id = newId("mdl");
      deps.db
        .insert(aiModels)
        .values({
          id,
          name: facts.name && facts.name !== facts.architecture ? facts.name : displayNameOf(fileName),
          fileName,
          source: `import:${path}`,
          status: "ready",
          sha256,
          sizeBytes: size,
          downloadedBytes: size,
          ...factColumns(facts),
        })
        .run();
      deps.log.info({ model: id, fileName }, "registered a model file found in the models folder");
    } catch (error) {
      deps.log.warn({ fileName, err: error }, "a file in the models folder is not a readable GGUF model");
    }
  }
  return applySetupChoice(deps.db);
}

/** The setup wizard's model file names, chosen once they are installed (and nothing else was chosen). */
function applySetupChoice(db: Db): boolean {
  const value = db.select().from(instanceSettings).where(eq(instanceSettings.key, "ai")).get()?.value;
  const setup = (value ?? {}) as { chatModel?: unknown; embeddingModel?: unknown };
  const chosen = findChosenModelIds(db);
  let changed = false;
  for (const role of modelRoles) {
    const wanted = role === "chat" ? setup.chatModel : setup.embeddingModel;
    if (chosen[role] || typeof wanted !== "string" || wanted === "") continue;
    // The wizard names the file as the admin knew it: as found in models/, or as pulled or imported.
    const model = db
      .select()
      .from(aiModels)
      .where(eq(aiModels.status, "ready"))
      .all()
      .find((row) => row.fileName === wanted || row.source.split("/").at(-1) === wanted);
    if (!model) continue;
    saveChosenModelId(db, role, model.id);
    changed = true;
  }
  return changed;
}
