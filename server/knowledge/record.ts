import { and, eq } from "drizzle-orm";
import {
  type Document,
  type DocumentStatus,
  documentEquipment,
  documentProjects,
  documents,
} from "../../models/knowledge.ts";
import type { Db, Queryable } from "../db.ts";
import { publishEvent } from "../events/publish.ts";
import { newId } from "../tools/ids.ts";
import { enqueueJob, hasPendingJob } from "./ingestion/jobs.ts";
import { commitStagedFile, deleteFileIfUnused, type StagedFile } from "./upload/files.ts";
import type { Sniffed } from "./upload/sniff.ts";

/** Writing document rows: shared by uploads (changes.ts) and e-mail attachments (ingest.ts). */

export type NewDocumentInput = {
  orgId: string;
  /** Who uploaded it; null for the box itself. */
  userId: string | null;
  staged: StagedFile;
  sniffed: NonNullable<Sniffed>;
  fileName: string;
  title: string;
  category: string | null;
  tags: string[];
  equipmentIds: string[];
  projectIds: string[];
  parentId: string | null;
  /** For the event's line: "Ada uploaded …" */
  actorName: string;
};

/**
 * Stores the staged bytes and records the document with its links, its `ingest` job and the
 * `document.created` event, in one transaction. The same bytes twice in one organisation are
 * one document: that one comes back with `created: false` and nothing changes, except that
 * stored bytes found damaged are replaced by the good copy and their documents read again
 * (`repaired`). When the row cannot be written (a full disk), the bytes go again.
 */
export function recordDocument(
  db: Db,
  dataDir: string,
  input: NewDocumentInput,
  now = new Date(),
): { document: Document; created: boolean; repaired: boolean } {
  const existing = findBySha(db, input.orgId, input.staged.sha256);
  // The commit and the insert run in one synchronous stretch: see commitStagedFile.
  const outcome = commitStagedFile(dataDir, input.staged);
  const repaired = outcome !== "kept" && requeueDocumentsOfSha(db, input.staged.sha256, now) > 0;
  if (existing)
    return { document: findBySha(db, input.orgId, input.staged.sha256) ?? existing, created: false, repaired };
  const id = newId("doc", now.getTime());
  let document: Document;
  try {
    document = insertDocument(db, id, input, now);
  } catch (error) {
    if (outcome !== "kept") deleteFileIfUnused(db, dataDir, input.staged.sha256);
    throw error;
  }
  return { document, created: true, repaired };
}

/** Every document (of any organisation) with these bytes is read again: their file was missing or bad. */
function requeueDocumentsOfSha(db: Db, sha256: string, now: Date): number {
  const affected = db.select().from(documents).where(eq(documents.sha256, sha256)).all();
  if (affected.length === 0) return 0;
  db.transaction((tx) => {
    for (const document of affected) {
      if (!hasPendingJob(tx, document.id, "ingest")) {
        enqueueJob(tx, { orgId: document.orgId, documentId: document.id, kind: "ingest" }, now);
      }
      setDocumentStatus(
        tx,
        document,
        { status: "queued", statusReason: "Its file was missing or damaged and came back with a new upload." },
        now,
      );
    }
  });
  return affected.length;
}

function insertDocument(db: Db, id: string, input: NewDocumentInput, now: Date): Document {
  return db.transaction((tx) => {
    const row = tx
      .insert(documents)
      .values({
        id,
        orgId: input.orgId,
        title: input.title,
        category: input.category,
        tags: input.tags,
        sha256: input.staged.sha256,
        fileName: input.fileName,
        kind: input.sniffed.kind,
        mediaType: input.sniffed.mediaType,
        sizeBytes: input.staged.sizeBytes,
        status: "queued",
        parentId: input.parentId,
        uploadedBy: input.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    linkDocument(tx, input.orgId, id, input.equipmentIds, input.projectIds);
    enqueueJob(tx, { orgId: input.orgId, documentId: id, kind: "ingest" }, now);
    publishEvent(
      tx,
      { orgId: input.orgId, userId: input.userId },
      {
        type: "document.created",
        subjectType: "document",
        subjectId: id,
        summary: input.parentId
          ? `“${input.title}” came in as an attachment`
          : `${input.actorName} uploaded “${input.title}”`,
        data: {
          title: input.title,
          kind: input.sniffed.kind,
          sizeBytes: input.staged.sizeBytes,
          parentId: input.parentId,
        },
      },
      now,
    );
    return row;
  });
}

export function findBySha(db: Queryable, orgId: string, sha256: string): Document | null {
  return (
    db
      .select()
      .from(documents)
      .where(and(eq(documents.orgId, orgId), eq(documents.sha256, sha256)))
      .get() ?? null
  );
}

export function linkDocument(
  tx: Queryable,
  orgId: string,
  documentId: string,
  equipmentIds: readonly string[],
  projectIds: readonly string[],
): void {
  for (const equipmentId of equipmentIds) tx.insert(documentEquipment).values({ documentId, equipmentId, orgId }).run();
  for (const projectId of projectIds) tx.insert(documentProjects).values({ documentId, projectId, orgId }).run();
}

export const statusLabels: Record<DocumentStatus, string> = {
  queued: "queued",
  processing: "being read",
  indexed: "indexed",
  failed: "failed",
  needs_ocr: "in need of OCR",
};

/** Moves a document to another status with `document.status_changed`, inside the caller's transaction. */
export function setDocumentStatus(
  tx: Queryable,
  document: Pick<Document, "id" | "orgId" | "title" | "status">,
  change: Partial<Document> & { status: DocumentStatus; statusReason: string | null },
  now = new Date(),
  actorId: string | null = null,
): void {
  tx.update(documents)
    .set({ ...change, updatedAt: now })
    .where(eq(documents.id, document.id))
    .run();
  publishEvent(
    tx,
    { orgId: document.orgId, userId: actorId },
    {
      type: "document.status_changed",
      subjectType: "document",
      subjectId: document.id,
      summary: `“${document.title}” is ${statusLabels[change.status]}`,
      data: { from: document.status, to: change.status, reason: change.statusReason },
    },
    now,
  );
}
