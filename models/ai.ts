import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const aiModelStatuses = ["downloading", "ready", "failed"] as const;
export type AiModelStatus = (typeof aiModelStatuses)[number];

/**
 * A GGUF model file under `<data dir>/models/` (the whole box's, not one organisation's), with
 * the facts read from its header. Which model serves chat and which embeddings is an instance
 * setting (`ai.chatModelId`, `ai.embeddingModelId`), overridden by OPSBOX_CHAT_MODEL and
 * OPSBOX_EMBEDDING_MODEL.
 */
export const aiModels = sqliteTable("ai_models", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The file's name under models/. */
  fileName: text("file_name").notNull().unique(),
  /** Where it came from: an https URL, an `hf:` URI, or `import:<original path>`. */
  source: text("source").notNull(),
  status: text("status", { enum: aiModelStatuses }).notNull().default("downloading"),
  statusReason: text("status_reason"),
  sha256: text("sha256"),
  sizeBytes: integer("size_bytes"),
  downloadedBytes: integer("downloaded_bytes").notNull().default(0),
  architecture: text("architecture"),
  parameters: integer("parameters"),
  quantization: text("quantization"),
  contextLength: integer("context_length"),
  embeddingLength: integer("embedding_length"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
export type AiModel = typeof aiModels.$inferSelect;
export type NewAiModel = typeof aiModels.$inferInsert;
