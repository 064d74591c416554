import type { Db } from "../../db.ts";

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

/**
 * Conditions on `documents d` for the filters, as SQL text whose parameters are numbered from
 * `first` on; `?2` must be the organisation's id (links are checked inside it too). Statements
 * are prepared once per shape and cached by bun:sqlite, so the text depends only on which
 * filters are set.
 */
export function documentConditionsText(filters: DocumentFilters, first = 4): { text: string; params: string[] } {
  const parts = ["d.org_id = ?2"];
  const params: string[] = [];
  const next = (value: string) => {
    params.push(value);
    return `?${first + params.length - 1}`;
  };
  if (filters.category) parts.push(`d.category = ${next(filters.category)}`);
  if (filters.tag) parts.push(`EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value = ${next(filters.tag)})`);
  if (filters.equipmentId) {
    parts.push(`EXISTS (SELECT 1 FROM document_equipment de
      WHERE de.document_id = d.id AND de.org_id = ?2 AND de.equipment_id = ${next(filters.equipmentId)})`);
  }
  if (filters.projectId) {
    parts.push(`EXISTS (SELECT 1 FROM document_projects dp
      WHERE dp.document_id = d.id AND dp.org_id = ?2 AND dp.project_id = ${next(filters.projectId)})`);
  }
  if (filters.documentIds !== undefined) {
    parts.push(`d.id IN (SELECT value FROM json_each(${next(JSON.stringify(filters.documentIds))}))`);
  }
  return { text: parts.join(" AND "), params };
}

/** The ids of the organisation's chunks whose documents pass the filters (the vector side's prefilter). */
export function filteredChunkIds(db: Db, orgId: string, filters: DocumentFilters): number[] {
  const where = documentConditionsText(filters, 3);
  return db.$client
    .query<{ id: number }, string[]>(
      `SELECT c.id AS id FROM document_chunks c JOIN documents d ON d.id = c.document_id
       WHERE c.org_id = ?1 AND ${where.text} ORDER BY c.id`,
    )
    .all(orgId, orgId, ...where.params)
    .map((row) => row.id);
}

export type ChunkRow = {
  chunkId: number;
  documentId: string;
  title: string;
  page: number;
  heading: string;
  text: string;
};

/** The chunks and their documents' titles, inside the organisation (a stray id of another one is dropped). */
export function loadChunks(db: Db, orgId: string, chunkIds: readonly number[]): Map<number, ChunkRow> {
  if (chunkIds.length === 0) return new Map();
  const rows = db.$client
    .query<ChunkRow, [string, string]>(
      `SELECT c.id AS chunkId, c.document_id AS documentId, d.title AS title, c.page AS page,
         c.heading AS heading, c.text AS text
       FROM document_chunks c JOIN documents d ON d.id = c.document_id
       WHERE c.id IN (SELECT value FROM json_each(?1)) AND c.org_id = ?2`,
    )
    .all(JSON.stringify(chunkIds), orgId);
  return new Map(rows.map((row) => [row.chunkId, row]));
}

/** How many of the organisation's indexed documents (passing the filters) `modelId` has not embedded yet. */
export function countDocumentsNotEmbedded(
  db: Db,
  orgId: string,
  modelId: string,
  filters: DocumentFilters,
): { notEmbedded: number; total: number } {
  const where = documentConditionsText(filters, 3);
  const row = db.$client
    .query<{ notEmbedded: number | null; total: number }, string[]>(
      `SELECT count(*) AS total, sum(d.embedding_model_id IS NOT ?1) AS notEmbedded
       FROM documents d WHERE ${where.text} AND d.status = 'indexed'`,
    )
    .get(modelId, orgId, ...where.params);
  return { notEmbedded: row?.notEmbedded ?? 0, total: row?.total ?? 0 };
}
