import { and, eq, inArray } from "drizzle-orm";
import {
  documentChunks,
  documentEquipment,
  documentProjects,
  documents,
  ingestionJobs,
} from "../../models/knowledge.ts";
import { equipment } from "../../models/work.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { publishEvent } from "../events/publish.ts";
import { ensureDiskReserve, withDiskReserve } from "../http/disk-space.ts";
import { AppError } from "../http/errors.ts";
import { assertIfMatch } from "../http/etag.ts";
import { actorName } from "../members/directory.ts";
import { fieldChanges } from "../work/change-kit.ts";
import { existingProjectIds } from "../work/projects/options.ts";
import { enqueueJob, hasPendingJob } from "./ingestion/jobs.ts";
import { wakeIngestionWorkers } from "./ingestion/wake.ts";
import { linkDocument, recordDocument, setDocumentStatus } from "./record.ts";
import type { UpdateDocumentInput, UploadFields } from "./schemas.ts";
import { type DocumentRecord, documentEtag, documentOrNotFound } from "./service.ts";
import { deleteFileIfUnused, discardStagedFile, type StagedFile } from "./upload/files.ts";
import { sniffDocument } from "./upload/sniff.ts";

/**
 * Who may change a document: whoever uploaded it (with documents.upload, which the route
 * checks), and anyone who manages projects (managers, admins) for every document.
 */
export function mayChangeDocument(
  ctx: Pick<ServiceContext, "userId" | "permissions">,
  record: DocumentRecord,
): boolean {
  return ctx.permissions.has("projects.manage") || (record.uploadedBy !== null && record.uploadedBy === ctx.userId);
}

function assertMayChange(ctx: ServiceContext, record: DocumentRecord): void {
  if (!mayChangeDocument(ctx, record)) {
    throw new AppError("forbidden", "Only the person who uploaded this document, or a manager, may change it.");
  }
}

/**
 * Records an upload staged on disk: 415 unless the content is a supported type, 422 for links
 * to equipment or projects the organisation does not have. The same content twice is one
 * document: `created: false` brings back the one there is.
 */
export function createDocumentFromUpload(
  ctx: ServiceContext,
  dataDir: string,
  upload: { staged: StagedFile; fileName: string; fields: UploadFields },
): { record: DocumentRecord; created: boolean } {
  const { staged, fields } = upload;
  const sniffed = sniffDocument(staged.head);
  if (!sniffed) {
    discardStagedFile(staged);
    throw new AppError(
      "unsupported_media_type",
      "This file is not a supported document: upload a PDF, plain text, Markdown, HTML, CSV or an e-mail (.eml).",
    );
  }
  try {
    assertLinks(ctx, fields.equipmentIds, fields.projectIds);
  } catch (error) {
    discardStagedFile(staged);
    throw error;
  }
  const fileName = cleanFileName(upload.fileName);
  const { document, created, repaired } = recordDocument(ctx.db, dataDir, {
    orgId: ctx.orgId,
    userId: ctx.userId,
    staged,
    sniffed,
    fileName,
    title: fields.title ?? fileName,
    category: fields.category ?? null,
    tags: fields.tags,
    equipmentIds: fields.equipmentIds,
    projectIds: fields.projectIds,
    parentId: null,
    actorName: actorName(ctx.db, ctx),
  });
  if (created || repaired) wakeIngestionWorkers();
  return { record: documentOrNotFound(ctx, document.id), created };
}

/** A name for display and downloads only: no path, no control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return base.slice(0, 200) || "document";
}

/** Changes title, category, tags and links; `ifMatch` guards against stale writes (412). */
export function updateDocument(
  ctx: ServiceContext,
  id: string,
  input: UpdateDocumentInput,
  ifMatch?: string,
  now = new Date(),
): DocumentRecord {
  const record = documentOrNotFound(ctx, id);
  assertMayChange(ctx, record);
  assertIfMatch(ifMatch, documentEtag(record));
  assertLinks(ctx, input.equipmentIds ?? [], input.projectIds ?? []);
  const { equipmentIds, projectIds, ...fields } = input;
  const changes = fieldChanges(record, fields);
  const sameList = (next: string[] | undefined, current: string[]) =>
    next === undefined || (next.length === current.length && next.every((value) => current.includes(value)));
  const linksChanged = !sameList(equipmentIds, record.equipmentIds) || !sameList(projectIds, record.projectIds);
  if (Object.keys(changes).length === 0 && !linksChanged) return record;
  ctx.db.transaction((tx) => {
    tx.update(documents)
      .set({ ...fields, updatedAt: now })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, id)))
      .run();
    if (equipmentIds) tx.delete(documentEquipment).where(eq(documentEquipment.documentId, id)).run();
    if (projectIds) tx.delete(documentProjects).where(eq(documentProjects.documentId, id)).run();
    linkDocument(tx, ctx.orgId, id, equipmentIds ?? [], projectIds ?? []);
    publishEvent(
      tx,
      ctx,
      {
        type: "document.updated",
        subjectType: "document",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} updated the document “${input.title ?? record.title}”`,
        data: { changes, linksChanged },
      },
      now,
    );
  });
  return documentOrNotFound(ctx, id);
}

/**
 * Deletes a document with everything derived from it: pages, chunks (their FTS rows and
 * vectors go by trigger), links and jobs; then its file, unless another document (of any
 * organisation) has the same bytes. An e-mail's attachments stay, as documents of their own.
 * Works on a full disk: it is what frees space (see withDiskReserve).
 */
export function deleteDocument(ctx: ServiceContext, dataDir: string, id: string, now = new Date()): void {
  const record = documentOrNotFound(ctx, id);
  assertMayChange(ctx, record);
  withDiskReserve(dataDir, () => removeDocumentRows(ctx, record, now));
  // Same synchronous stretch as the delete: an upload of the same bytes cannot fall between.
  deleteFileIfUnused(ctx.db, dataDir, record.sha256);
  // The space just freed first refills the reserve, if a delete on a full disk used it.
  ensureDiskReserve(dataDir);
}

function removeDocumentRows(ctx: ServiceContext, record: DocumentRecord, now: Date): void {
  const id = record.id;
  ctx.db.transaction((tx) => {
    tx.delete(documentChunks).where(eq(documentChunks.documentId, id)).run();
    tx.delete(documents)
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, id)))
      .run();
    tx.update(documents)
      .set({ parentId: null })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.parentId, id)))
      .run();
    publishEvent(
      tx,
      ctx,
      {
        type: "document.deleted",
        subjectType: "document",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} deleted the document “${record.title}”`,
        data: { title: record.title },
      },
      now,
    );
  });
}

/** Queues a failed (or OCR-needing) document for another try; 409 for a document in any other state. */
export function retryDocument(ctx: ServiceContext, id: string, now = new Date()): DocumentRecord {
  const record = documentOrNotFound(ctx, id);
  assertMayChange(ctx, record);
  if (record.status !== "failed" && record.status !== "needs_ocr") {
    throw new AppError("conflict", `The document is ${record.status}: only a failed document can be retried.`);
  }
  ctx.db.transaction((tx) => {
    if (!hasPendingJob(tx, id, "ingest")) enqueueJob(tx, { orgId: ctx.orgId, documentId: id, kind: "ingest" }, now);
    setDocumentStatus(tx, record, { status: "queued", statusReason: null }, now, ctx.userId);
  });
  wakeIngestionWorkers();
  return documentOrNotFound(ctx, id);
}

/** The attempts of a document's jobs, newest first, for its page. */
export function listDocumentJobs(ctx: ServiceContext, id: string) {
  return ctx.db
    .select()
    .from(ingestionJobs)
    .where(and(eq(ingestionJobs.orgId, ctx.orgId), eq(ingestionJobs.documentId, id)))
    .orderBy(ingestionJobs.createdAt)
    .all()
    .reverse();
}

function assertLinks(ctx: ServiceContext, equipmentIds: readonly string[], projectIds: readonly string[]): void {
  const details: { path: string; message: string }[] = [];
  if (equipmentIds.length > 0) {
    const found = new Set(
      ctx.db
        .select({ id: equipment.id })
        .from(equipment)
        .where(and(eq(equipment.orgId, ctx.orgId), inArray(equipment.id, [...equipmentIds])))
        .all()
        .map((row) => row.id),
    );
    const missing = equipmentIds.findIndex((equipmentId) => !found.has(equipmentId));
    if (missing >= 0)
      details.push({ path: `equipmentIds.${missing}`, message: "No such equipment in this organisation." });
  }
  const projects = existingProjectIds(ctx.db, ctx.orgId, projectIds);
  const missingProject = projectIds.findIndex((projectId) => !projects.has(projectId));
  if (missingProject >= 0) {
    details.push({ path: `projectIds.${missingProject}`, message: "No such project in this organisation." });
  }
  if (details.length > 0) throw new AppError("validation_failed", "The request is not valid.", details);
}
