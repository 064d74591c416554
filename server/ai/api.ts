import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import { pageOfAll, pageQuery } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { actorOf } from "./model-actor.ts";
import { startPull } from "./model-pull.ts";
import { chooseModels, describeRoles } from "./model-roles.ts";
import { deleteModel, importModel, listModels, modelOrNotFound, rolesOf } from "./models-service.ts";
import {
  addModelInput,
  chooseModelsInput,
  modelJson,
  modelJsonSchema,
  modelListSchema,
  rolesJsonSchema,
  statusJsonSchema,
} from "./schemas.ts";
import { findServingSettings, servingSettingsSchema, updateServingSettings } from "./serving-settings.ts";

const tags = ["AI"];
const boxWide =
  "Models belong to the whole box, not to one organisation: any admin (settings.manage) may read them, only the box's instance admin may change them.";

/**
 * /ai/models, /ai/roles, /ai/serving, /ai/status: the box's local models. Reading needs
 * settings.manage; every change is a box-wide power (it changes what every organisation's
 * assistant runs on), so it is the instance admin's alone.
 */
export const aiModelsApi = new Hono<AppEnv>()
  .get(
    "/models",
    apiDoc({
      summary: "List AI models",
      description: `Installed and downloading models with the facts read from their GGUF headers. ${boxWide}`,
      tags,
      responses: { 200: { description: "The models, newest first, a page at a time", schema: modelListSchema } },
    }),
    requirePermission("settings.manage"),
    validate("query", pageQuery),
    (c) => {
      const { db } = c.var.deps;
      const models = listModels(db).map((model) => modelJson(model, rolesOf(db, model.id)));
      return c.json(pageOfAll(models, c.req.valid("query")));
    },
  )
  .post(
    "/models",
    apiDoc({
      summary: "Import or pull an AI model",
      description:
        "With `path`: imports a GGUF file on the box (201, ready). With `url`: starts a pull from an https URL " +
        "or `hf:<user>/<repo>/<file>` (202, `status: downloading`; poll the model for `downloadedBytes`). " +
        "A pull checks free disk space against Content-Length first and records the sha256; a mismatch " +
        "with `sha256` fails it. Loopback and private addresses are refused unless an admin allowed the host.",
      tags,
      responses: {
        201: { description: "Imported", schema: modelJsonSchema },
        202: { description: "Pull started", schema: modelJsonSchema },
      },
    }),
    requireInstanceAdmin(),
    validate("json", addModelInput),
    async (c) => {
      const input = c.req.valid("json");
      const deps = c.var.deps;
      const actor = actorOf(c);
      if (input.path !== undefined) {
        const model = await importModel(deps, actor, { path: input.path, name: input.name });
        c.header("Location", `/api/v1/ai/models/${model.id}`);
        return c.json(modelJson(model, []), 201);
      }
      const { model } = await startPull(deps, actor, { url: input.url ?? "", sha256: input.sha256, name: input.name });
      c.header("Location", `/api/v1/ai/models/${model.id}`);
      return c.json(modelJson(model, []), 202);
    },
  )
  .get(
    "/models/:id",
    apiDoc({
      summary: "Get an AI model",
      tags,
      responses: { 200: { description: "The model", schema: modelJsonSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => {
      const { db } = c.var.deps;
      const model = modelOrNotFound(db, c.req.param("id"));
      return c.json(modelJson(model, rolesOf(db, model.id)));
    },
  )
  .delete(
    "/models/:id",
    apiDoc({
      summary: "Delete an AI model",
      description:
        "Removes the file too; stops a running pull. A model chosen for chat or embeddings is 409 until another is chosen.",
      tags,
      responses: { 204: { description: "Deleted" } },
    }),
    requireInstanceAdmin(),
    (c) => {
      deleteModel(c.var.deps, actorOf(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .get(
    "/roles",
    apiDoc({
      summary: "Which models serve chat and embeddings",
      description:
        "`chosenId` is the admin's choice; `servedBy` what serves it now (OPSBOX_CHAT_MODEL / OPSBOX_EMBEDDING_MODEL win).",
      tags,
      responses: { 200: { description: "The roles", schema: rolesJsonSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => c.json(describeRoles(c.var.deps)),
  )
  .put(
    "/roles",
    apiDoc({
      summary: "Choose the chat and embedding models",
      description:
        "Only ready models; a role left out keeps its model, null chooses none. A new embedding model re-embeds every document in the background.",
      tags,
      responses: { 200: { description: "The roles", schema: rolesJsonSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", chooseModelsInput),
    (c) => c.json(chooseModels(c.var.deps, actorOf(c), c.req.valid("json"))),
  )
  .get(
    "/serving",
    apiDoc({
      summary: "Get the serving settings",
      description: "`threads: null` uses the physical cores (OPSBOX_AI_THREADS overrides it).",
      tags,
      responses: { 200: { description: "The settings", schema: servingSettingsSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => c.json(findServingSettings(c.var.deps.db)),
  )
  .put(
    "/serving",
    apiDoc({
      summary: "Change the serving settings",
      description:
        "Threads, context size and concurrency reload the models in the background; the rest apply to the next request.",
      tags,
      responses: { 200: { description: "The settings", schema: servingSettingsSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", servingSettingsSchema),
    (c) => c.json(updateServingSettings(c.var.deps, actorOf(c), c.req.valid("json"))),
  )
  .get(
    "/status",
    apiDoc({
      summary: "AI runtime status",
      description: "Loaded models, memory, recent tokens per second and the generation queue.",
      tags,
      responses: { 200: { description: "The status", schema: statusJsonSchema } },
    }),
    requirePermission("settings.manage"),
    (c) => c.json(runtimeStatus(c.var.deps.ai)),
  );

/** The runtime's status; an empty one for a runtime that cannot tell (the no-model fallback). */
export function runtimeStatus(ai: AppEnv["Variables"]["deps"]["ai"]) {
  return (
    ai.status?.() ?? {
      gpu: null,
      chat: null,
      embedding: null,
      memory: { freeBytes: 0, totalBytes: 0, processRssBytes: 0 },
      recentTokensPerSecond: null,
      recentGenerations: 0,
      queue: { running: 0, waiting: 0, concurrency: 0, queueSize: 0 },
    }
  );
}
