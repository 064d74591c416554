import { eq } from "drizzle-orm";
import {
  type Document,
  documentChunks,
  documentPages,
  documents,
  type IngestionJob,
} from "../../../models/knowledge.ts";
import type { AiRuntime, EmbeddingModelInfo } from "../../ai/runtime.ts";
import type { Db, Queryable } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import { emailSubject } from "../extract/email.ts";
import { extractDocument } from "../extract/index.ts";
import { type Extraction, ExtractionError } from "../extract/types.ts";
import { recordDocument, setDocumentStatus } from "../record.ts";
import { writeChunkVectors } from "../search/vectors.ts";
import { stageBytes, storedFilePath } from "../upload/files.ts";
import { sniffDocument } from "../upload/sniff.ts";
import { type Chunk, chunkBlocks } from "./chunk.ts";
import { finishJob } from "./jobs.ts";

/** What ingestion needs of the process. */
export type IngestDeps = { db: Db; dataDir: string; ai: AiRuntime; log: Logger; maxUploadBytes: number };

/** Texts per deps.ai.embed call: big enough to amortise a call, small enough to stop promptly. */
export const EMBED_BATCH = 16;

/**
 * Reads a queued document into the index: extract text per page, chunk it, embed the chunks
 * (when an embedding model is chosen), then write pages, chunks (FTS5 follows by trigger),
 * vectors and the new status in one transaction, so search never sees half a document.
 * Throws ExtractionError for content that cannot be read (no retry helps) and anything else
 * for trouble worth another try.
 */
export async function ingestDocument(deps: IngestDeps, job: IngestionJob, signal: AbortSignal): Promise<void> {
  const document = deps.db.select().from(documents).where(eq(documents.id, job.documentId)).get();
  if (!document) return finishAlone(deps.db, job.id);
  if (document.status !== "processing") {
    deps.db.transaction((tx) => setDocumentStatus(tx, document, { status: "processing", statusReason: null }));
  }
  const file = Bun.file(storedFilePath(deps.dataDir, document.sha256));
  if (!(await file.exists())) throw new ExtractionError("The stored file is missing.");
  const extraction = await extractDocument(document.kind, await file.bytes());
  signal.throwIfAborted();
  const skipped = await recordAttachments(deps, document, extraction);
  const chunks = extraction.needsOcr ? [] : chunkBlocks(extraction.blocks);
  if (!extraction.needsOcr && chunks.length === 0) throw new ExtractionError("The document contains no text to index.");
  const model = deps.ai.embeddingModel();
  const vectors = model && chunks.length > 0 ? await embedChunks(deps.ai, chunks, signal) : null;
  signal.throwIfAborted();
  const now = new Date();
  deps.db.transaction((tx) => {
    const current = tx.select().from(documents).where(eq(documents.id, document.id)).get();
    // Deleted while it was being read: nothing to write (its job went with it).
    if (!current) return;
    writeIndex(tx, current, extraction, chunks, vectors && model ? { model, vectors } : null);
    const title = current.title === current.fileName && document.kind === "email" ? emailSubject(extraction) : null;
    setDocumentStatus(
      tx,
      current,
      {
        status: extraction.needsOcr ? "needs_ocr" : "indexed",
        statusReason: extraction.needsOcr ?? skippedNote(skipped),
        pageCount: extraction.pageCount,
        chunkCount: chunks.length,
        embeddingModelId: vectors && model ? model.id : null,
        indexedAt: now,
        ...(title ? { title } : {}),
      },
      now,
    );
    finishJob(tx, job.id, now);
  });
}

function finishAlone(db: Db, jobId: string): void {
  db.transaction((tx) => finishJob(tx, jobId));
}

/** Replaces a document's pages, chunks and vectors (old chunks' FTS rows and vectors go by trigger). */
function writeIndex(
  tx: Queryable,
  document: Document,
  extraction: Extraction,
  chunks: Chunk[],
  embedded: { model: EmbeddingModelInfo; vectors: Float32Array[] } | null,
): void {
  tx.delete(documentChunks).where(eq(documentChunks.documentId, document.id)).run();
  tx.delete(documentPages).where(eq(documentPages.documentId, document.id)).run();
  for (const [index, text] of extraction.pages.entries()) {
    tx.insert(documentPages)
      .values({ documentId: document.id, orgId: document.orgId, page: index + 1, text })
      .run();
  }
  const ids: number[] = [];
  for (const chunk of chunks) {
    const row = tx
      .insert(documentChunks)
      .values({ orgId: document.orgId, documentId: document.id, ...chunk })
      .returning({ id: documentChunks.id })
      .get();
    ids.push(row.id);
  }
  if (embedded) {
    writeChunkVectors(
      tx,
      embedded.model,
      ids.map((chunkId, index) => ({
        chunkId,
        orgId: document.orgId,
        embedding: embedded.vectors[index] ?? new Float32Array(embedded.model.dimensions),
      })),
    );
  }
}

/** The text a chunk is embedded as: its heading gives the passage its context. */
export function embeddingText(chunk: Pick<Chunk, "heading" | "text">): string {
  return chunk.heading ? `${chunk.heading}\n${chunk.text}` : chunk.text;
}

/** Embeds in batches of EMBED_BATCH, checking for a stop between batches. */
export async function embedChunks(
  ai: AiRuntime,
  chunks: Pick<Chunk, "heading" | "text">[],
  signal: AbortSignal,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
    signal.throwIfAborted();
    const batch = chunks.slice(start, start + EMBED_BATCH).map(embeddingText);
    const embedded = await ai.embed(batch, { signal });
    if (embedded.length !== batch.length) throw new Error("The embedding model returned the wrong number of vectors.");
    vectors.push(...embedded);
  }
  return vectors;
}

/**
 * An e-mail's attachments become documents of their own (parentId = the e-mail), through the
 * same type check and size limit as an upload. Returns the names of those that were refused.
 */
async function recordAttachments(deps: IngestDeps, parent: Document, extraction: Extraction): Promise<string[]> {
  const skipped: string[] = [];
  for (const attachment of extraction.attachments) {
    const sniffed = sniffDocument(attachment.bytes.subarray(0, 64 * 1024));
    if (!sniffed || attachment.bytes.byteLength > deps.maxUploadBytes) {
      skipped.push(attachment.fileName);
      continue;
    }
    const staged = await stageBytes(deps.dataDir, attachment.bytes);
    const { created } = recordDocument(deps.db, deps.dataDir, {
      orgId: parent.orgId,
      userId: parent.uploadedBy,
      staged,
      sniffed,
      fileName: attachment.fileName,
      title: attachment.fileName,
      category: parent.category,
      tags: parent.tags,
      equipmentIds: [],
      projectIds: [],
      parentId: parent.id,
      actorName: "An e-mail",
    });
    if (created)
      deps.log.info({ documentId: parent.id, attachment: attachment.fileName }, "e-mail attachment recorded");
  }
  return skipped;
}

function skippedNote(skipped: string[]): string | null {
  if (skipped.length === 0) return null;
  return `Attachments not taken in (not a supported type, or too large): ${skipped.join(", ")}.`;
}
