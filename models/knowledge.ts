import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";
import { equipment, projects } from "./work.ts";

/** What a document's bytes turned out to be (sniffed from the content, never the name). */
export const documentKinds = ["pdf", "text", "markdown", "html", "email", "csv"] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** queued → processing → indexed | failed | needs_ocr (a PDF without a text layer). */
export const documentStatuses = ["queued", "processing", "indexed", "failed", "needs_ocr"] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** Where a document's approval stands; null = never submitted (or the request was cancelled). */
export const documentApprovalStatuses = ["pending", "approved", "rejected"] as const;
export type DocumentApprovalStatus = (typeof documentApprovalStatuses)[number];

/**
 * An uploaded document. Its bytes live in `<data dir>/files/` under their sha256; the same
 * content twice in one organisation is one document (unique org + sha256).
 */
export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    title: text("title").notNull(),
    category: text("category"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Hex sha256 of the bytes: the file's name under files/. */
    sha256: text("sha256").notNull(),
    /** The name it was uploaded under, for display and downloads only. */
    fileName: text("file_name").notNull(),
    kind: text("kind", { enum: documentKinds }).notNull(),
    mediaType: text("media_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    status: text("status", { enum: documentStatuses }).notNull().default("queued"),
    /** Why it failed or needs OCR, in words for the person who uploaded it. */
    statusReason: text("status_reason"),
    pageCount: integer("page_count"),
    chunkCount: integer("chunk_count").notNull().default(0),
    /** An e-mail's attachment points at the e-mail it came in. */
    parentId: text("parent_id"),
    uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    /** The embedding model whose vectors this document's chunks have; null = none yet. */
    embeddingModelId: text("embedding_model_id"),
    approvalStatus: text("approval_status", { enum: documentApprovalStatuses }),
    /** The latest approval request of this document (approvals/start-approval.ts). */
    approvalRequestId: text("approval_request_id"),
    indexedAt: timestamp("indexed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("documents_org_sha_unique").on(table.orgId, table.sha256),
    index("documents_org_created_idx").on(table.orgId, table.id),
    index("documents_org_status_idx").on(table.orgId, table.status),
    index("documents_parent_idx").on(table.parentId),
  ],
);
export type Document = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

export const documentEquipment = sqliteTable(
  "document_equipment",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    equipmentId: text("equipment_id")
      .notNull()
      .references(() => equipment.id, { onDelete: "cascade" }),
    orgId: orgId(),
  },
  (table) => [
    primaryKey({ columns: [table.documentId, table.equipmentId] }),
    index("document_equipment_equipment_idx").on(table.equipmentId),
  ],
);

export const documentProjects = sqliteTable(
  "document_projects",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    orgId: orgId(),
  },
  (table) => [
    primaryKey({ columns: [table.documentId, table.projectId] }),
    index("document_projects_project_idx").on(table.projectId),
  ],
);

/**
 * A passage of a document, with the page it starts on and the heading it sits under. The
 * integer id is also the rowid of its FTS5 row (document_chunks_fts, kept by triggers) and of
 * its vectors (server/knowledge/vectors).
 */
export const documentChunks = sqliteTable(
  "document_chunks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orgId: orgId(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    /** 0, 1, 2 … in reading order. */
    ordinal: integer("ordinal").notNull(),
    /** 1-based page number (1 for formats without pages). */
    page: integer("page").notNull(),
    heading: text("heading").notNull().default(""),
    text: text("text").notNull(),
    tokenCount: integer("token_count").notNull(),
  },
  (table) => [
    uniqueIndex("document_chunks_doc_ordinal_unique").on(table.documentId, table.ordinal),
    index("document_chunks_org_idx").on(table.orgId),
  ],
);
export type DocumentChunk = typeof documentChunks.$inferSelect;
export type NewDocumentChunk = typeof documentChunks.$inferInsert;

/**
 * The text extracted from one page of a document (formats without pages have page 1), kept
 * so the document page can show it by page and chunks can be rebuilt without re-extracting.
 */
export const documentPages = sqliteTable(
  "document_pages",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    orgId: orgId(),
    /** 1-based. */
    page: integer("page").notNull(),
    text: text("text").notNull(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.page] })],
);
export type DocumentPage = typeof documentPages.$inferSelect;

export const ingestionJobKinds = ["ingest", "embed"] as const;
export const ingestionJobStatuses = ["queued", "running", "done", "failed"] as const;

/**
 * The persistent ingestion queue: a job survives a restart (a `running` job whose process
 * died is taken up again). `ingest` extracts, chunks and embeds; `embed` re-embeds the chunks
 * of an indexed document for a new embedding model.
 */
export const ingestionJobs = sqliteTable(
  "ingestion_jobs",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ingestionJobKinds }).notNull(),
    status: text("status", { enum: ingestionJobStatuses }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Not before this time (back-off after a failure). */
    runAfter: timestamp("run_after").notNull(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    createdAt: createdAt(),
  },
  (table) => [
    index("ingestion_jobs_status_idx").on(table.status, table.runAfter),
    index("ingestion_jobs_document_idx").on(table.documentId),
  ],
);
export type IngestionJob = typeof ingestionJobs.$inferSelect;

/** A conversation with the assistant: one person's, inside one organisation. */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** Retrieval is narrowed to these documents' equipment or project when set. */
    equipmentId: text("equipment_id").references(() => equipment.id, { onDelete: "set null" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    /** A running summary of turns that no longer fit in the model's window. */
    summary: text("summary").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("conversations_org_user_idx").on(table.orgId, table.userId, table.id)],
);
export type Conversation = typeof conversations.$inferSelect;

export type Citation = { n: number; documentId: string; chunkId: number; page: number; title: string };

export const messageRoles = ["user", "assistant"] as const;
/** complete, stopped (the client went away or pressed stop), failed (with the reason in content). */
export const messageStatuses = ["complete", "stopped", "failed"] as const;

export const conversationMessages = sqliteTable(
  "conversation_messages",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    role: text("role", { enum: messageRoles }).notNull(),
    content: text("content").notNull(),
    citations: text("citations", { mode: "json" }).$type<Citation[]>().notNull().default(sql`'[]'`),
    status: text("status", { enum: messageStatuses }).notNull().default("complete"),
    tokenCount: integer("token_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [index("conversation_messages_conversation_idx").on(table.conversationId, table.id)],
);
export type ConversationMessage = typeof conversationMessages.$inferSelect;
