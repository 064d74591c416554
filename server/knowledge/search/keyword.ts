import type { Db } from "../../db.ts";
import { markedParts, type TextPart } from "../../tools/marked-text.ts";
import { type DocumentQueryWord, documentQueryWords } from "./fts-query.ts";
import { type DocumentFilters, documentConditionsText, hasFilters } from "./search-sql.ts";

/**
 * The keyword side of document search: BM25 over FTS5, organisation and filters in the same
 * WHERE as the match. Ranking every chunk that contains a common word costs ~1 µs per chunk
 * (150,000 chunks for one common word at 1M), so the query is planned by how many chunks each
 * word is in (counted in the whole index, up to the budget: BM25's IDF uses whole-index counts
 * too, so this adds no new dependence on other organisations' data):
 *   - rare words (together in at most MATCH_BUDGET chunks) decide which chunks match, and
 *     every word still scores them: `(rare…) AND (all…)`;
 *   - when no word is rare, only the organisation's newest BOUNDED_ROWS chunks that contain
 *     all words (then, if too few, any word) are ranked. Such words say little on their own;
 *     the vector side carries those queries.
 */

const MATCH_BUDGET = 5_000;
const BOUNDED_ROWS = 1_000;
// Headings weigh twice the body: a chunk under "Resetting the boiler" is about it.
const RANK = "bm25(document_chunks_fts, 2.0, 1.0)";
const SNIPPET_TOKENS = 24;

// Counts change only as documents come and go, and a stale count only changes the plan, never
// which organisation's chunks can match: they are kept a while per connection.
const COUNT_TTL_MS = 60_000;
const MAX_COUNTS = 10_000;
const counts = new WeakMap<object, Map<string, { n: number; at: number }>>();

/**
 * How many chunks (in the whole index, like BM25's own IDF) contain the word, counted up to
 * MATCH_BUDGET + 1 only: past that the word is common, however common.
 */
function documentFrequency(db: Db, word: DocumentQueryWord): number {
  let cache = counts.get(db.$client);
  if (!cache) {
    cache = new Map();
    counts.set(db.$client, cache);
  }
  const key = `${word.term}${word.prefix ? "*" : ""}`;
  const now = Date.now();
  const known = cache.get(key);
  if (known && now - known.at < COUNT_TTL_MS) return known.n;
  const n =
    db.$client
      .query<{ n: number }, [string, number]>(
        "SELECT count(*) AS n FROM (SELECT 1 FROM document_chunks_fts WHERE document_chunks_fts MATCH ?1 LIMIT ?2)",
      )
      .get(phrase(word), MATCH_BUDGET + 1)?.n ?? 0;
  if (cache.size >= MAX_COUNTS) cache.clear();
  cache.set(key, { n, at: now });
  return n;
}

/** A word as FTS5 text: quoted (so no word is syntax), a prefix when asked. Words hold no quotes. */
function phrase(word: DocumentQueryWord): string {
  return `"${word.text}"${word.prefix ? "*" : ""}`;
}

export type KeywordPlan = { kind: "ranked"; match: string } | { kind: "bounded"; matches: string[] } | { kind: "none" };

/** How to ask FTS5 for this query (exported for tests). */
export function planKeywordQuery(db: Db, q: string, options: { prefixLast?: boolean } = {}): KeywordPlan {
  const words = documentQueryWords(q, options);
  if (words.length === 0) return { kind: "none" };
  const all = words.map(phrase);
  const byRarity = words.map((word) => ({ word, df: documentFrequency(db, word) })).sort((a, b) => a.df - b.df);
  const rare: DocumentQueryWord[] = [];
  let budget = MATCH_BUDGET;
  for (const { word, df } of byRarity) {
    if (df > budget) break;
    budget -= df;
    rare.push(word);
  }
  if (rare.length === words.length) return { kind: "ranked", match: all.join(" OR ") };
  if (rare.length > 0) return { kind: "ranked", match: `(${rare.map(phrase).join(" OR ")}) AND (${all.join(" OR ")})` };
  return { kind: "bounded", matches: words.length > 1 ? [all.join(" AND "), all.join(" OR ")] : all };
}

/** The text to highlight matches with: every word, any of them. */
export function highlightMatch(q: string, options: { prefixLast?: boolean } = {}): string | null {
  const words = documentQueryWords(q, options);
  return words.length === 0 ? null : words.map(phrase).join(" OR ");
}

/** The organisation's chunks that match the query, best BM25 first, at most `limit`. */
export function keywordChunkIds(
  db: Db,
  orgId: string,
  plan: KeywordPlan,
  filters: DocumentFilters,
  limit: number,
): number[] {
  const where = documentConditionsText(filters);
  // Without filters only the organisation is checked, from the small (org_id, id) index rather
  // than the chunk rows: half the cost per matching chunk.
  const from = hasFilters(filters)
    ? `FROM document_chunks_fts f JOIN document_chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id
       WHERE document_chunks_fts MATCH ?1 AND c.org_id = ?2 AND ${where.text}`
    : `FROM document_chunks_fts f JOIN document_chunks c INDEXED BY document_chunks_org_idx ON c.id = f.rowid
       WHERE document_chunks_fts MATCH ?1 AND c.org_id = ?2`;
  const params = (match: string, n: number) => [match, orgId, n, ...where.params];
  type Row = { id: number };
  if (plan.kind === "none") return [];
  if (plan.kind === "ranked") {
    const text = `SELECT c.id AS id ${from} ORDER BY ${RANK}, c.id LIMIT ?3`;
    return db.$client
      .query<Row, (string | number)[]>(text)
      .all(...params(plan.match, limit))
      .map((row) => row.id);
  }
  // Newest first needs no sort, so FTS5 stops after BOUNDED_ROWS of the organisation's matches.
  const text = `SELECT id FROM (SELECT c.id AS id, ${RANK} AS score ${from} ORDER BY f.rowid DESC LIMIT ?3)
    ORDER BY score, id`;
  const ids: number[] = [];
  for (const match of plan.matches) {
    for (const row of db.$client.query<Row, (string | number)[]>(text).all(...params(match, BOUNDED_ROWS))) {
      if (!ids.includes(row.id)) ids.push(row.id);
      if (ids.length >= limit) return ids;
    }
  }
  return ids;
}

// FTS5 wraps matches in markers made fresh for each query (private-use characters around a
// random nonce): document text cannot forge them, and snippet()'s output is never markup.
function newMarkers() {
  const nonce = crypto.randomUUID().slice(0, 8);
  return { open: `\uE000${nonce}\uE001`, close: `\uE001${nonce}\uE000` };
}

/** Passages around the matched words of these chunks (only chunks that contain a word get one). */
export function keywordSnippets(db: Db, match: string, chunkIds: readonly number[]): Map<number, TextPart[]> {
  if (chunkIds.length === 0) return new Map();
  const markers = newMarkers();
  const rows = db.$client
    .query<{ id: number; snippet: string | null }, [string, string, string, string]>(
      `SELECT rowid AS id, snippet(document_chunks_fts, 1, ?1, ?2, '…', ${SNIPPET_TOKENS}) AS snippet
       FROM document_chunks_fts WHERE document_chunks_fts MATCH ?3 AND rowid IN (SELECT value FROM json_each(?4))`,
    )
    .all(markers.open, markers.close, match, JSON.stringify(chunkIds));
  return new Map(rows.map((row) => [row.id, markedParts(row.snippet ?? "", markers)]));
}
