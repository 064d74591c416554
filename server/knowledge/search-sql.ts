import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../db.ts";
import { markedParts, type TextPart } from "../work/search/service.ts";

/** What narrows a document search, besides the organisation (which always does). */
export type DocumentFilters = {
  category?: string;
  tag?: string;
  equipmentId?: string;
  projectId?: string;
  /** Only these documents (the assistant scoped to an equipment's manuals, say). */
  documentIds?: readonly string[];
};

export function hasFilters(filters: DocumentFilters): boolean {
  return Boolean(
    filters.category || filters.tag || filters.equipmentId || filters.projectId || filters.documentIds !== undefined,
  );
}

/** Conditions on `documents d`, organisation first; links are checked in the same organisation too. */
export function documentConditions(orgId: string, filters: DocumentFilters): SQL {
  const parts: SQL[] = [sql`d.org_id = ${orgId}`];
  if (filters.category) parts.push(sql`d.category = ${filters.category}`);
  if (filters.tag) parts.push(sql`EXISTS (SELECT 1 FROM json_each(d.tags) WHERE json_each.value = ${filters.tag})`);
  if (filters.equipmentId) {
    parts.push(sql`EXISTS (SELECT 1 FROM document_equipment de
      WHERE de.document_id = d.id AND de.org_id = ${orgId} AND de.equipment_id = ${filters.equipmentId})`);
  }
  if (filters.projectId) {
    parts.push(sql`EXISTS (SELECT 1 FROM document_projects dp
      WHERE dp.document_id = d.id AND dp.org_id = ${orgId} AND dp.project_id = ${filters.projectId})`);
  }
  if (filters.documentIds !== undefined) {
    parts.push(sql`d.id IN (SELECT value FROM json_each(${JSON.stringify(filters.documentIds)}))`);
  }
  return sql.join(parts, sql` AND `);
}

/** The ids of the organisation's chunks whose documents pass the filters (the vector side's prefilter). */
export function filteredChunkIds(db: Queryable, orgId: string, filters: DocumentFilters): number[] {
  return db
    .all<{ id: number }>(sql`SELECT c.id AS id FROM document_chunks c JOIN documents d ON d.id = c.document_id
      WHERE c.org_id = ${orgId} AND ${documentConditions(orgId, filters)} ORDER BY c.id`)
    .map((row) => row.id);
}

export type KeywordHit = { chunkId: number; snippet: TextPart[] };

// Headings weigh twice the body: a chunk under "Resetting the boiler" is about it.
const HEADING_WEIGHT = 2;
const SNIPPET_TOKENS = 24;

// FTS5 wraps matches in markers made fresh for each query (private-use characters around a
// random nonce): document text cannot forge them, and snippet()'s output is never markup.
function newMarkers() {
  const nonce = crypto.randomUUID().slice(0, 8);
  return { open: `\uE000${nonce}\uE001`, close: `\uE001${nonce}\uE000` };
}

/**
 * The organisation's chunks that match `match` (already safe FTS5 text), best BM25 first. The
 * organisation and filters sit in the same WHERE as the match, so `limit` counts only chunks
 * the caller may see.
 */
export function keywordChunks(
  db: Queryable,
  orgId: string,
  match: string,
  filters: DocumentFilters,
  limit: number,
): KeywordHit[] {
  const markers = newMarkers();
  const rows = db.all<{ chunkId: number; snippet: string | null }>(sql`
    SELECT c.id AS chunkId,
      snippet(document_chunks_fts, 1, ${markers.open}, ${markers.close}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM document_chunks_fts
    JOIN document_chunks c ON c.id = document_chunks_fts.rowid
    JOIN documents d ON d.id = c.document_id
    WHERE document_chunks_fts MATCH ${match} AND c.org_id = ${orgId} AND ${documentConditions(orgId, filters)}
    ORDER BY bm25(document_chunks_fts, ${HEADING_WEIGHT}, 1.0), c.id
    LIMIT ${limit}`);
  return rows.map((row) => ({ chunkId: row.chunkId, snippet: markedParts(row.snippet ?? "", markers) }));
}

export type ChunkRow = {
  chunkId: number;
  documentId: string;
  title: string;
  page: number;
  heading: string;
  text: string;
  embeddingModelId: string | null;
};

/** The chunks and their documents' titles, inside the organisation (a stray id of another one is dropped). */
export function loadChunks(db: Queryable, orgId: string, chunkIds: readonly number[]): Map<number, ChunkRow> {
  if (chunkIds.length === 0) return new Map();
  const rows = db.all<ChunkRow>(sql`
    SELECT c.id AS chunkId, c.document_id AS documentId, d.title AS title, c.page AS page,
      c.heading AS heading, c.text AS text, d.embedding_model_id AS embeddingModelId
    FROM document_chunks c JOIN documents d ON d.id = c.document_id
    WHERE c.id IN (SELECT value FROM json_each(${JSON.stringify(chunkIds)})) AND c.org_id = ${orgId}`);
  return new Map(rows.map((row) => [row.chunkId, row]));
}

/** How many of the organisation's searchable documents are not embedded by `modelId` yet. */
export function countDocumentsNotEmbedded(
  db: Queryable,
  orgId: string,
  modelId: string,
  filters: DocumentFilters,
): { notEmbedded: number; total: number } {
  const [row] = db.all<{ notEmbedded: number | null; total: number }>(sql`
    SELECT count(*) AS total,
      sum(CASE WHEN d.embedding_model_id IS ${modelId} THEN 0 ELSE 1 END) AS notEmbedded
    FROM documents d WHERE ${documentConditions(orgId, filters)} AND d.chunk_count > 0`);
  return { notEmbedded: row?.notEmbedded ?? 0, total: row?.total ?? 0 };
}
