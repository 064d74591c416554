import { and, asc, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import {
  type Document,
  documentEquipment,
  documentPages,
  documentProjects,
  documents,
} from "../../models/knowledge.ts";
import type { Queryable } from "../db.ts";
import { pageOf } from "../http/cursor.ts";
import { notFound } from "../http/errors.ts";
import { etagOf } from "../http/etag.ts";
import { contains, stringCursor } from "../http/fields.ts";
import { documentFileHref, documentHref } from "../tools/document-links.ts";
import type { DocumentJson, DocumentListQuery } from "./schemas.ts";

/** A document with its equipment and project links. */
export type DocumentRecord = Document & { equipmentIds: string[]; projectIds: string[] };

type OrgScope = { db: Queryable; orgId: string };

export function documentJson(record: DocumentRecord): DocumentJson {
  return {
    id: record.id,
    title: record.title,
    category: record.category,
    tags: record.tags,
    fileName: record.fileName,
    kind: record.kind,
    mediaType: record.mediaType,
    sizeBytes: record.sizeBytes,
    sha256: record.sha256,
    status: record.status,
    statusReason: record.statusReason,
    pageCount: record.pageCount,
    chunkCount: record.chunkCount,
    parentId: record.parentId,
    uploadedBy: record.uploadedBy,
    embeddingModelId: record.embeddingModelId,
    equipmentIds: record.equipmentIds,
    projectIds: record.projectIds,
    approvalStatus: record.approvalStatus,
    approvalRequestId: record.approvalRequestId,
    indexedAt: record.indexedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    links: { file: documentFileHref(record.id), page: documentHref(record.id) },
  };
}

export function documentEtag(record: DocumentRecord): string {
  return etagOf(documentJson(record));
}

/** A document of the current organisation; null for unknown ids and other organisations'. */
export function findDocumentById(ctx: OrgScope, id: string): DocumentRecord | null {
  const row = ctx.db
    .select()
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, id)))
    .get();
  return row ? (withLinks(ctx.db, [row])[0] ?? null) : null;
}

/** The document, or 404 "No such document." for unknown ids and other organisations' documents. */
export function documentOrNotFound(ctx: OrgScope, id: string): DocumentRecord {
  const record = findDocumentById(ctx, id);
  if (!record) throw notFound("document");
  return record;
}

/** One page of the organisation's documents, newest first (cursor: the last id seen). */
export function listDocuments(
  ctx: OrgScope,
  query: DocumentListQuery,
): { data: DocumentRecord[]; nextCursor: string | null } {
  const [after] = query.cursor === undefined ? [] : stringCursor(query.cursor, 1);
  const q = query.q?.trim();
  const rows = ctx.db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.orgId, ctx.orgId),
        query.status?.length ? inArray(documents.status, query.status) : undefined,
        query.category ? sql`lower(${documents.category}) = lower(${query.category})` : undefined,
        query.tag
          ? sql`EXISTS (SELECT 1 FROM json_each(${documents.tags}) WHERE lower(value) = lower(${query.tag}))`
          : undefined,
        query.equipmentId ? linkedTo(documentEquipment, documentEquipment.equipmentId, query.equipmentId) : undefined,
        query.projectId ? linkedTo(documentProjects, documentProjects.projectId, query.projectId) : undefined,
        q ? or(contains(documents.title, q), contains(documents.fileName, q)) : undefined,
        after !== undefined ? lt(documents.id, after) : undefined,
      ),
    )
    .orderBy(desc(documents.id))
    .limit(query.limit + 1)
    .all();
  const page = pageOf(rows, query.limit, (row) => [row.id]);
  return { data: withLinks(ctx.db, page.data), nextCursor: page.nextCursor };
}

function linkedTo(
  table: typeof documentEquipment | typeof documentProjects,
  column: typeof documentEquipment.equipmentId | typeof documentProjects.projectId,
  id: string,
): SQL {
  return inArray(documents.id, sql`(SELECT ${table.documentId} FROM ${table} WHERE ${column} = ${id})`);
}

/** The categories and tags in use, for the list's filters. */
export function listDocumentFacets(ctx: OrgScope): { categories: string[]; tags: string[] } {
  const categories = ctx.db
    .selectDistinct({ value: documents.category })
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), sql`${documents.category} IS NOT NULL AND ${documents.category} <> ''`))
    .orderBy(asc(documents.category))
    .limit(200)
    .all()
    .map((row) => row.value ?? "");
  const tags = ctx.db
    .all<{ value: string }>(
      sql`SELECT DISTINCT value FROM documents, json_each(documents.tags) WHERE documents.org_id = ${ctx.orgId} ORDER BY value LIMIT 200`,
    )
    .map((row) => row.value);
  return { categories, tags };
}

/** The extracted text of pages `from`…`to` of a document (already known to be the organisation's). */
export function listDocumentPages(
  ctx: OrgScope,
  documentId: string,
  from: number,
  to: number,
): { page: number; text: string }[] {
  return ctx.db
    .select({ page: documentPages.page, text: documentPages.text })
    .from(documentPages)
    .where(
      and(
        eq(documentPages.orgId, ctx.orgId),
        eq(documentPages.documentId, documentId),
        gte(documentPages.page, from),
        lte(documentPages.page, to),
      ),
    )
    .orderBy(asc(documentPages.page))
    .all();
}

export function withLinks(db: Queryable, rows: Document[]): DocumentRecord[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const equipmentLinks = db
    .select({ documentId: documentEquipment.documentId, id: documentEquipment.equipmentId })
    .from(documentEquipment)
    .where(inArray(documentEquipment.documentId, ids))
    .orderBy(sql`rowid`)
    .all();
  const projectLinks = db
    .select({ documentId: documentProjects.documentId, id: documentProjects.projectId })
    .from(documentProjects)
    .where(inArray(documentProjects.documentId, ids))
    .orderBy(sql`rowid`)
    .all();
  const group = (links: { documentId: string; id: string }[]) => {
    const map = new Map<string, string[]>();
    for (const link of links) map.set(link.documentId, [...(map.get(link.documentId) ?? []), link.id]);
    return map;
  };
  const equipmentBy = group(equipmentLinks);
  const projectsBy = group(projectLinks);
  return rows.map((row) => ({
    ...row,
    equipmentIds: equipmentBy.get(row.id) ?? [],
    projectIds: projectsBy.get(row.id) ?? [],
  }));
}
