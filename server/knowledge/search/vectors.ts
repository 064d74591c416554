import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db, Queryable } from "../../db.ts";

/**
 * The vector index of document chunks, per embedding model, made at run time because its
 * width is the model's (name from a hash of the model's id and width, so any id is safe):
 *
 *   chunk_vectors_<hash>       a plain table: chunk_id (= document_chunks.id), org_id, the
 *                              float embedding. The truth; read by primary key to rescore.
 *   chunk_vectors_<hash>_bits  a sqlite-vec vec0 table of the embeddings' sign bits
 *                              (bit[dims]), partitioned by org_id and by shard = chunk_id % 16.
 *
 * A search scans the bits by hamming distance inside the caller's organisation's partitions
 * (the stock build scans 1M × 384 bits in ~26 ms, floats in ~370 ms), takes the best
 * candidates, and rescores them by exact cosine distance on the float vectors.
 *
 * Why shards: vec0 picks the k best of each 1,024-row chunk by k passes over it, so a scan
 * costs rows × k; 16 shards queried for k/16 each (one UNION ALL statement) find nearly the
 * same candidates for a sixteenth of that. Why floats outside vec0: a vec0 point lookup reads
 * a whole chunk (~0.3 ms), a primary-key read ~4 µs, and vec0 would preallocate float chunks
 * per partition (1.5 MB × 16 shards for an organisation with one small document).
 *
 * A trigger per model removes a chunk's vectors when its row in document_chunks is deleted
 * (directly, or by a document's or an organisation's cascade): no delete path can forget them.
 */

export type VectorModel = { id: string; dimensions: number };
export type ChunkVectorRow = { chunkId: number; orgId: string; embedding: Float32Array };
export type VectorHit = { chunkId: number; distance: number };

const TABLE_PREFIX = "chunk_vectors_";
const TABLE_PATTERN = /^chunk_vectors_[0-9a-f]{16}$/;
export const VECTOR_SHARDS = 16;
/** sqlite-vec's largest k for one KNN query. */
const MAX_KNN = 4096;
/**
 * Hamming candidates rescored by float distance: at least MIN_CANDIDATES, else 4 per wanted
 * result. bench/search.ts --candidates sweeps this against recall@10 and time.
 */
const CANDIDATES_PER_RESULT = 4;
export const MIN_CANDIDATES = 160;
/** A filter that leaves at most this many chunks is searched exactly, without the prefilter. */
const EXACT_FILTER_LIMIT = 4096;

/** The float table of a model; its bit table is this name + "_bits". */
export function vectorTableName(model: VectorModel): string {
  if (!Number.isInteger(model.dimensions) || model.dimensions < 1 || model.dimensions > 8192) {
    throw new Error(`An embedding model's width must be 1–8192, not ${model.dimensions}.`);
  }
  const hash = createHash("sha256").update(`${model.id}\0${model.dimensions}`).digest("hex").slice(0, 16);
  return `${TABLE_PREFIX}${hash}`;
}

/** Sign bits need whole bytes: a model whose width is not a multiple of 8 is searched by exact scan. */
function hasBits(dimensions: number): boolean {
  return dimensions % 8 === 0;
}

// drizzle's get() on raw SQL answers an array of values, so all() with named columns is used throughout.
function tableExists(db: Queryable, name: string): boolean {
  return db.all(sql`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ${name}`).length > 0;
}

const known = new Set<string>();

/** Creates the model's tables and delete trigger if they do not exist yet; returns the float table's name. */
export function ensureVectorTable(db: Queryable, model: VectorModel): string {
  const name = vectorTableName(model);
  if (known.has(name) && tableExists(db, name)) return name;
  db.run(
    sql.raw(`CREATE TABLE IF NOT EXISTS ${name} (
      chunk_id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, embedding BLOB NOT NULL)`),
  );
  db.run(sql.raw(`CREATE INDEX IF NOT EXISTS ${name}_org ON ${name} (org_id)`));
  const bits = hasBits(model.dimensions);
  if (bits) {
    db.run(
      sql.raw(
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${name}_bits USING vec0(org_id text partition key, shard integer partition key, bits bit[${model.dimensions}])`,
      ),
    );
  }
  db.run(
    sql.raw(`CREATE TRIGGER IF NOT EXISTS ${name}_chunk_delete AFTER DELETE ON document_chunks BEGIN
      DELETE FROM ${name} WHERE chunk_id = old.id;
      ${bits ? `DELETE FROM ${name}_bits WHERE rowid = old.id;` : ""}
    END`),
  );
  known.add(name);
  return name;
}

/** Every model's float table in the database (one per model that ever embedded here). */
export function listVectorTables(db: Queryable): string[] {
  return db
    .all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ${`${TABLE_PREFIX}%`} ORDER BY name`,
    )
    .map((row) => row.name)
    .filter((name) => TABLE_PATTERN.test(name));
}

function hasBitTable(db: Queryable, name: string): boolean {
  return tableExists(db, `${name}_bits`);
}

export function vectorBlob(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * Writes (or replaces) the vectors of chunks for `model`, inside the caller's transaction. The
 * chunk rows must exist already and belong to `orgId`; one that does not throws (the caller's
 * transaction then rolls back whole).
 */
export function writeChunkVectors(db: Queryable, model: VectorModel, rows: readonly ChunkVectorRow[]): void {
  if (rows.length === 0) return;
  const name = ensureVectorTable(db, model);
  const floats = sql.raw(name);
  const bits = hasBits(model.dimensions) ? sql.raw(`${name}_bits`) : null;
  for (const row of rows) {
    if (row.embedding.length !== model.dimensions) {
      throw new Error(`Chunk ${row.chunkId}: ${row.embedding.length} numbers for a ${model.dimensions}-wide model.`);
    }
    const vector = vectorBlob(row.embedding);
    db.run(sql`INSERT OR REPLACE INTO ${floats} (chunk_id, org_id, embedding)
      SELECT id, org_id, ${vector} FROM document_chunks WHERE id = ${row.chunkId} AND org_id = ${row.orgId}`);
    if (db.all<{ n: number }>(sql`SELECT changes() AS n`)[0]?.n !== 1) {
      throw new Error(`Chunk ${row.chunkId} is not a chunk of organisation ${row.orgId}.`);
    }
    if (bits) {
      // vec0 has no upsert: a re-embedded chunk's old row goes first.
      db.run(sql`DELETE FROM ${bits} WHERE rowid = ${row.chunkId}`);
      db.run(sql`INSERT INTO ${bits} (rowid, org_id, shard, bits)
        VALUES (${row.chunkId}, ${row.orgId}, ${row.chunkId % VECTOR_SHARDS}, vec_quantize_binary(${vector}))`);
    }
  }
}

/** Removes these chunks' vectors from every model's tables (deleting the chunk rows does this too, by trigger). */
export function deleteChunkVectors(db: Queryable, chunkIds: readonly number[]): void {
  if (chunkIds.length === 0) return;
  for (const name of listVectorTables(db)) {
    db.run(
      sql`DELETE FROM ${sql.raw(name)} WHERE chunk_id IN (SELECT value FROM json_each(${JSON.stringify(chunkIds)}))`,
    );
    // One point delete each: `rowid IN (…)` on a vec0 table would scan all of it.
    if (hasBitTable(db, name))
      for (const id of chunkIds) db.run(sql`DELETE FROM ${sql.raw(`${name}_bits`)} WHERE rowid = ${id}`);
  }
}

/**
 * Drops the tables and trigger of every model not in `keep`: call once re-embedding for a new
 * model is done, so the old model's vectors stop taking space. Returns the dropped float tables.
 */
export function dropVectorTablesExcept(db: Queryable, keep: readonly VectorModel[]): string[] {
  const kept = new Set(keep.map(vectorTableName));
  const dropped: string[] = [];
  for (const name of listVectorTables(db)) {
    if (kept.has(name)) continue;
    db.run(sql.raw(`DROP TRIGGER IF EXISTS ${name}_chunk_delete`));
    db.run(sql.raw(`DROP TABLE IF EXISTS ${name}_bits`));
    db.run(sql.raw(`DROP TABLE ${name}`));
    known.delete(name);
    dropped.push(name);
  }
  return dropped;
}

export type NearestInput = {
  orgId: string;
  embedding: Float32Array;
  limit: number;
  /** Only these chunks (the caller's filters, already inside the organisation). */
  chunkIds?: readonly number[];
  /** Hamming candidates to rescore; the default unless measuring. */
  candidates?: number;
};

/**
 * The organisation's chunks nearest to `embedding` by cosine distance, best first: a hamming
 * scan of the sign bits inside the organisation's partitions picks max(160, limit × 4)
 * candidates, whose float vectors are then rescored exactly. A narrow `chunkIds` filter (or a
 * model without bits) is scored exactly instead. Empty when the model has no vectors here.
 * Takes the database itself (not a transaction): its statements are prepared once and cached.
 */
export function nearestChunks(db: Db, model: VectorModel, input: NearestInput): VectorHit[] {
  const plan = planNearest(model, input);
  if (plan.kind === "none") return [];
  if (plan.kind === "exact") return exactNearestChunks(db, model, input);
  const all = Array.from({ length: VECTOR_SHARDS }, (_, shard) => shard);
  const text = `WITH candidates AS (${bitCandidatesText(plan, all)})
    SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ?1) AS distance
    FROM ${plan.name} WHERE chunk_id IN (SELECT id FROM candidates) AND org_id = ?3
    ORDER BY distance, chunk_id LIMIT ?5`;
  const params = [...bitCandidateParams(plan, input), plan.limit];
  return ifTableExists(() => db.$client.query<VectorHit, typeof params>(text).all(...params));
}

/** How nearestChunks answers an input: nothing, an exact scan, or the sign-bit prefilter (then rescoring). */
export type NearestPlan =
  | { kind: "none" }
  | { kind: "exact" }
  | { kind: "bits"; name: string; perShard: number; limit: number; filter: string | null };

export function planNearest(model: VectorModel, input: NearestInput): NearestPlan {
  const name = vectorTableName(model);
  if (input.embedding.length !== model.dimensions || input.limit < 1 || input.chunkIds?.length === 0) {
    return { kind: "none" };
  }
  if (!hasBits(model.dimensions) || (input.chunkIds && input.chunkIds.length <= EXACT_FILTER_LIMIT)) {
    return { kind: "exact" };
  }
  const limit = Math.min(input.limit, MAX_KNN);
  const wanted = input.candidates ?? Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT);
  const candidates = Math.min(MAX_KNN, Math.max(limit, wanted));
  const filter = input.chunkIds ? JSON.stringify(input.chunkIds) : null;
  return { kind: "bits", name, perShard: Math.ceil(candidates / VECTOR_SHARDS), limit, filter };
}

/**
 * The hamming candidates of some shards (one UNION ALL statement, one column `id`), inside the
 * organisation's partitions. Parameters: bitCandidateParams. Run on the main connection, or on
 * a read-only one in a worker thread (vector-workers.ts), which splits the shards between them.
 */
export function bitCandidatesText(plan: { name: string; filter: string | null }, shards: readonly number[]): string {
  const only = plan.filter ? "AND rowid IN (SELECT value FROM json_each(?4))" : "";
  return shards
    .map(
      (shard) => `SELECT * FROM (SELECT rowid AS id FROM ${plan.name}_bits
      WHERE bits MATCH vec_quantize_binary(?1) AND k = ?2 AND org_id = ?3 AND shard = ${Math.trunc(shard)} ${only})`,
    )
    .join(" UNION ALL ");
}

export function bitCandidateParams(
  plan: { perShard: number; filter: string | null },
  input: { orgId: string; embedding: Float32Array },
): [Uint8Array, number, string, string] {
  return [vectorBlob(input.embedding), plan.perShard, input.orgId, plan.filter ?? "[]"];
}

/** Rescores candidate chunks by exact cosine distance (only the organisation's), best first. */
export function rescoreCandidates(
  db: Db,
  plan: { name: string; limit: number },
  input: { orgId: string; embedding: Float32Array },
  ids: readonly number[],
): VectorHit[] {
  if (ids.length === 0) return [];
  const text = `SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ?1) AS distance
    FROM ${plan.name} WHERE chunk_id IN (SELECT value FROM json_each(?2)) AND org_id = ?3
    ORDER BY distance, chunk_id LIMIT ?4`;
  const params = [vectorBlob(input.embedding), JSON.stringify(ids), input.orgId, plan.limit];
  return ifTableExists(() => db.$client.query<VectorHit, typeof params>(text).all(...params));
}

/** Whether an error is "this model has no tables here" (no vectors, not a failure). */
export function isMissingVectorTable(error: unknown): boolean {
  return error instanceof Error && /no such table: chunk_vectors_/.test(error.message);
}

/**
 * Exact cosine KNN over the organisation's float vectors (or only `chunkIds`): the yardstick
 * for recall in tests and the bench, and the search for narrow filters.
 */
export function exactNearestChunks(db: Db, model: VectorModel, input: NearestInput): VectorHit[] {
  const name = vectorTableName(model);
  if (input.chunkIds?.length === 0) return [];
  const only = input.chunkIds ? "AND chunk_id IN (SELECT value FROM json_each(?3))" : "";
  const text = `SELECT chunk_id AS chunkId, vec_distance_cosine(embedding, ?1) AS distance
    FROM ${name} WHERE org_id = ?2 ${only} ORDER BY distance, chunk_id LIMIT ?4`;
  const params = [
    vectorBlob(input.embedding),
    input.orgId,
    JSON.stringify(input.chunkIds ?? []),
    Math.min(input.limit, MAX_KNN),
  ];
  return ifTableExists(() => db.$client.query<VectorHit, typeof params>(text).all(...params));
}

// A model that never embedded here has no tables: that is "no vectors", not an error. Trying
// the query is cheaper than asking sqlite_master first on every search.
function ifTableExists(query: () => VectorHit[]): VectorHit[] {
  try {
    return query();
  } catch (error) {
    if (isMissingVectorTable(error)) return [];
    throw error;
  }
}
