import { z } from "zod";
import { type AiModel, aiModelStatuses } from "../../models/ai.ts";
import { type ModelRole, modelRoles } from "./model-selection.ts";

/** One schema per request and answer: the API, the console forms and the OpenAPI document share them. */

const sha256 = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, "Enter the sha256 as 64 hexadecimal characters.")
  .transform((value) => value.toLowerCase());

const name = z.string().trim().max(120, "Use at most 120 characters.");

export const addModelInput = z
  .object({
    path: z
      .string()
      .trim()
      .min(1, "Enter the file's path on the box.")
      .max(4096)
      .optional()
      .describe("Import: a GGUF file already on the box (hard-linked or copied into the models folder)."),
    url: z
      .string()
      .trim()
      .min(1, "Enter an https:// URL or an hf: URI.")
      .max(4096)
      .optional()
      .describe("Pull: an https URL or `hf:<user>/<repo>/<file>` (the Hugging Face Hub's main branch)."),
    sha256: sha256.optional().describe("Pull: the file's expected sha256; a mismatch fails the pull."),
    name: name.optional().describe("What to call it (default: the model's own name or the file's)."),
  })
  .strict()
  .refine((input) => (input.path === undefined) !== (input.url === undefined), {
    message: "Give either a path (import) or a url (pull), not both.",
    path: ["url"],
  });
export type AddModelInput = z.infer<typeof addModelInput>;

export const modelJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  fileName: z.string(),
  source: z.string().describe("An https URL, an hf: URI, or import:<original path>."),
  status: z.enum(aiModelStatuses),
  statusReason: z.string().nullable(),
  sha256: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  downloadedBytes: z.number(),
  architecture: z.string().nullable(),
  parameters: z.number().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().nullable(),
  embeddingLength: z.number().nullable(),
  roles: z.array(z.enum(modelRoles as [ModelRole, ...ModelRole[]])).describe("What the admin chose it for."),
  createdAt: z.string(),
});
export type ModelJson = z.infer<typeof modelJsonSchema>;

export const modelListSchema = z.object({ data: z.array(modelJsonSchema), nextCursor: z.string().nullable() });

export function modelJson(model: AiModel, roles: ModelRole[]): ModelJson {
  return {
    id: model.id,
    name: model.name,
    fileName: model.fileName,
    source: model.source,
    status: model.status,
    statusReason: model.statusReason,
    sha256: model.sha256,
    sizeBytes: model.sizeBytes,
    downloadedBytes: model.downloadedBytes,
    architecture: model.architecture,
    parameters: model.parameters,
    quantization: model.quantization,
    contextLength: model.contextLength,
    embeddingLength: model.embeddingLength,
    roles,
    createdAt: model.createdAt.toISOString(),
  };
}

const modelId = z.string().trim().min(1).max(64).nullable();
export const chooseModelsInput = z
  .object({
    chat: modelId.optional().describe("The model that answers questions; null for none."),
    embedding: modelId
      .optional()
      .describe("The model that embeds documents; null for none. A change re-embeds every document."),
  })
  .strict();

const served = z.object({ id: z.string(), name: z.string(), from: z.string() }).nullable();
export const rolesJsonSchema = z.object({
  chat: z.object({ chosenId: z.string().nullable(), servedBy: served }),
  embedding: z.object({ chosenId: z.string().nullable(), servedBy: served }),
});

const servedStatus = z
  .object({
    id: z.string(),
    name: z.string(),
    from: z.enum(["environment", "setting"]),
    state: z.enum(["not_loaded", "loading", "ready", "failed"]),
    error: z.string().nullable(),
    contextSize: z.number().nullable(),
    threads: z.number().nullable(),
  })
  .nullable();
export const statusJsonSchema = z.object({
  gpu: z.string().nullable(),
  chat: servedStatus,
  embedding: servedStatus,
  memory: z.object({ freeBytes: z.number(), totalBytes: z.number(), processRssBytes: z.number() }),
  recentTokensPerSecond: z.number().nullable(),
  recentGenerations: z.number(),
  queue: z.object({ running: z.number(), waiting: z.number(), concurrency: z.number(), queueSize: z.number() }),
});
