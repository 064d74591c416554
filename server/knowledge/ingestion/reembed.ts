import { and, asc, eq, isNotNull, isNull, ne, or } from "drizzle-orm";
import { documentChunks, documents, type IngestionJob } from "../../../models/knowledge.ts";
import type { Db } from "../../db.ts";
import type { AppDeps } from "../../http/env.ts";
import {
  dropVectorTablesExcept,
  listVectorTables,
  type VectorModel,
  vectorTableName,
  writeChunkVectors,
} from "../search/vectors.ts";
import { embedChunks, type IngestDeps } from "./ingest.ts";
import { enqueueJob, finishJob, hasPendingJob } from "./jobs.ts";
import { wakeIngestionWorkers } from "./wake.ts";

/**
 * Queues an `embed` job for every indexed document whose vectors are not the current
 * embedding model's (or that has none yet), once per document. Call it when the chosen
 * embedding model changes; main.ts also calls it at start (prepareIngestion). Keyword search is untouched
 * meanwhile, and a document keeps its old vectors until its new ones are written. Returns how
 * many jobs were queued.
 */
export function scheduleReembedding(deps: Pick<AppDeps, "db" | "ai" | "log">, now = new Date()): number {
  const model = deps.ai.embeddingModel();
  if (!model) return 0;
  const queued = queueReembedding(deps.db, model.id, now);
  if (queued > 0) {
    deps.log.info({ documents: queued, model: model.id }, "documents queued for re-embedding");
    wakeIngestionWorkers();
  }
  return queued;
}

/**
 * The database half of scheduleReembedding, for a process without the runtime (the CLI):
 * queues an `embed` job for every indexed document of every organisation whose vectors are not
 * `modelId`'s. A running server's job runtime finds them on its next look at the queue (every
 * second), since they live in ingestion_jobs, not in its memory. Returns how many.
 */
export function queueReembedding(db: Db, modelId: string, now = new Date()): number {
  const stale = db
    .select({ id: documents.id, orgId: documents.orgId })
    .from(documents)
    .where(
      and(
        eq(documents.status, "indexed"),
        or(isNull(documents.embeddingModelId), ne(documents.embeddingModelId, modelId)),
      ),
    )
    .orderBy(asc(documents.id))
    .all();
  let queued = 0;
  db.transaction((tx) => {
    for (const document of stale) {
      if (hasPendingJob(tx, document.id, "embed") || hasPendingJob(tx, document.id, "ingest")) continue;
      enqueueJob(tx, { orgId: document.orgId, documentId: document.id, kind: "embed" }, now);
      queued += 1;
    }
  });
  return queued;
}

/**
 * Embeds an indexed document's chunks with the current model and writes the vectors in one
 * transaction. When the chunks changed meanwhile (the document was re-ingested) or the
 * document is gone, nothing is written: the newer work owns it.
 */
export async function reembedDocument(deps: IngestDeps, job: IngestionJob, signal: AbortSignal): Promise<void> {
  const model = deps.ai.embeddingModel();
  const chunks = deps.db
    .select({ id: documentChunks.id, heading: documentChunks.heading, text: documentChunks.text })
    .from(documentChunks)
    .where(eq(documentChunks.documentId, job.documentId))
    .orderBy(asc(documentChunks.ordinal))
    .all();
  const vectors = model && chunks.length > 0 ? await embedChunks(deps.ai, chunks, signal) : [];
  signal.throwIfAborted();
  deps.db.transaction((tx) => {
    const document = tx.select().from(documents).where(eq(documents.id, job.documentId)).get();
    const now = tx
      .select({ id: documentChunks.id })
      .from(documentChunks)
      .where(eq(documentChunks.documentId, job.documentId))
      .orderBy(asc(documentChunks.ordinal))
      .all();
    const unchanged = now.length === chunks.length && now.every((row, index) => row.id === chunks[index]?.id);
    if (model && document && unchanged) {
      writeChunkVectors(
        tx,
        model,
        chunks.map((chunk, index) => ({
          chunkId: chunk.id,
          orgId: document.orgId,
          embedding: vectors[index] ?? new Float32Array(model.dimensions),
        })),
      );
      tx.update(documents).set({ embeddingModelId: model.id }).where(eq(documents.id, document.id)).run();
    }
    finishJob(tx, job.id);
  });
}

/**
 * Drops the vector tables of models no document uses any more: once the last document has its
 * vectors from `current`, the old model's copies only take space. The ingestion job calls it after
 * each job while an embedding model is chosen; it answers the tables it dropped.
 */
export function dropRetiredVectorTables(db: Db, current: VectorModel): string[] {
  // Almost always only the current model's table is there: then the documents are not read.
  const currentTable = vectorTableName(current);
  if (listVectorTables(db).every((name) => name === currentTable)) return [];
  const onAnotherModel = db
    .select({ id: documents.id })
    .from(documents)
    .where(and(isNotNull(documents.embeddingModelId), ne(documents.embeddingModelId, current.id)))
    .limit(1)
    .get();
  if (onAnotherModel) return [];
  return dropVectorTablesExcept(db, [current]);
}
