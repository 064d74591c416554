import type { AiRuntime } from "../../ai/runtime.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { TextPart } from "../../tools/marked-text.ts";
import { nearestChunksConcurrent } from "../ingestion/vector-workers.ts";
import { highlightMatch, keywordChunkIds, keywordSnippets, planKeywordQuery } from "./keyword.ts";
import {
  countDocumentsNotEmbedded,
  type DocumentFilters,
  filteredChunkIds,
  hasFilters,
  loadChunks,
} from "./search-sql.ts";
import type { NearestInput, VectorHit } from "./vectors.ts";

export type { DocumentFilters } from "./search-sql.ts";

export type DocumentSearchInput = DocumentFilters & {
  /** What the person typed or asked: plain text, never FTS5 syntax (it is quoted word by word). */
  q: string;
  /** Hits wanted, 1–50 (default 10). */
  limit?: number;
  /** The query's embedding when the caller has it already (skips embedding `q` again). */
  embedding?: Float32Array;
  /** Treat the last word as a prefix (a search box while typing); off for the assistant's questions. */
  prefixLast?: boolean;
  signal?: AbortSignal;
};

export type DocumentHit = {
  documentId: string;
  title: string;
  chunkId: number;
  /** 1-based page the chunk starts on. */
  page: number;
  heading: string;
  /** A short passage around the matched words, plain text (views escape it). */
  snippet: string;
  /** The same passage split into runs, `match: true` where a query word matched (for highlighting). */
  snippetParts: TextPart[];
  /** The whole chunk, for the assistant's context. */
  text: string;
  /** Reciprocal-rank-fusion score: higher is better; comparable only within one answer. */
  score: number;
  /** 1-based rank on each side, null when that side did not return it. */
  keywordRank: number | null;
  vectorRank: number | null;
  /** Cosine similarity to the query (−1…1) when the vector side returned it. */
  similarity: number | null;
};

export type DocumentSearchResult = {
  /** hybrid: keyword and vector results fused; keyword: BM25 alone (see reason). */
  mode: "hybrid" | "keyword";
  /** Why some or all documents were ranked by keywords alone, in words for the person searching. */
  reason?: string;
  hits: DocumentHit[];
};

/** The runtime's part that search needs (tests may pass a fake with real vectors). */
export type SearchAi = Pick<AiRuntime, "embeddingModel" | "embed">;

/**
 * Reciprocal rank fusion's constant (Cormack et al., 2009): a hit at rank r on one side adds
 * 1 / (RRF_K + r). 60 is the paper's value; it keeps one side's top hit from drowning the
 * other side's and needs no tuning or score normalisation between BM25 and cosine.
 */
export const RRF_K = 60;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;
/** Each side contributes this many candidates per wanted hit to the fusion. */
const DEPTH_PER_HIT = 4;
const MIN_DEPTH = 40;
const PLAIN_SNIPPET_CHARS = 200;

/** Fuses ranked lists of ids by RRF; best first, ties by id. Exported for tests. */
export function fuseRanks(
  lists: readonly (readonly number[])[],
): { id: number; score: number; ranks: (number | null)[] }[] {
  const fused = new Map<number, { score: number; ranks: (number | null)[] }>();
  lists.forEach((list, side) => {
    list.forEach((id, index) => {
      const entry = fused.get(id) ?? { score: 0, ranks: lists.map(() => null) };
      entry.score += 1 / (RRF_K + index + 1);
      entry.ranks[side] = index + 1;
      fused.set(id, entry);
    });
  });
  return [...fused.entries()].map(([id, entry]) => ({ id, ...entry })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Searches the caller's organisation's document chunks: BM25 over FTS5 and, when an embedding
 * model is chosen, nearest vectors (binary prefilter, float rescoring), fused by reciprocal
 * rank fusion (RRF_K = 60). Every side is filtered by organisation first, then by category,
 * tag, equipment, project and documentIds. Without an embedding model, when embedding the
 * query fails, or for documents the current model has not embedded yet, ranking is by keywords
 * alone and `reason` says so. Never throws for bad query text; an empty query finds nothing.
 */
export async function searchDocuments(
  ctx: Pick<ServiceContext, "db" | "orgId" | "log">,
  ai: SearchAi,
  input: DocumentSearchInput,
): Promise<DocumentSearchResult> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(input.limit ?? DEFAULT_LIMIT)));
  const depth = Math.max(MIN_DEPTH, limit * DEPTH_PER_HIT);
  const filters: DocumentFilters = {
    category: input.category,
    tag: input.tag,
    equipmentId: input.equipmentId,
    projectId: input.projectId,
    documentIds: input.documentIds,
  };
  const words = { prefixLast: input.prefixLast };
  const model = ai.embeddingModel();
  if (!input.q.trim()) return { mode: model ? "hybrid" : "keyword", hits: [] };
  // The vector side first, up to its worker threads' scans (vector-workers.ts), so they run
  // while this thread ranks by keywords; when the query must be embedded first, the keywords
  // are ranked while it is.
  const vectorSide = searchVectors(ctx, ai, input, filters, depth);
  const plan = planKeywordQuery(ctx.db, input.q, words);
  const keyword = keywordChunkIds(ctx.db, ctx.orgId, plan, filters, depth);
  const { vector, reason, mode } = await vectorSide;

  const fused = fuseRanks([keyword, vector.map((hit) => hit.chunkId)]).slice(0, limit);
  const ids = fused.map((hit) => hit.id);
  const chunks = loadChunks(ctx.db, ctx.orgId, ids);
  const highlight = highlightMatch(input.q, words);
  const snippets = highlight ? keywordSnippets(ctx.db, highlight, ids) : new Map<number, TextPart[]>();
  const distances = new Map(vector.map((hit) => [hit.chunkId, hit.distance]));
  const hits: DocumentHit[] = [];
  for (const entry of fused) {
    const chunk = chunks.get(entry.id);
    if (!chunk) continue;
    const parts = snippets.get(entry.id) ?? plainSnippet(chunk.text);
    const distance = distances.get(entry.id);
    hits.push({
      documentId: chunk.documentId,
      title: chunk.title,
      chunkId: chunk.chunkId,
      page: chunk.page,
      heading: chunk.heading,
      snippet: parts.map((part) => part.text).join(""),
      snippetParts: parts,
      text: chunk.text,
      score: entry.score,
      keywordRank: entry.ranks[0] ?? null,
      vectorRank: entry.ranks[1] ?? null,
      similarity: distance === undefined ? null : 1 - distance,
    });
  }
  return reason === undefined ? { mode, hits } : { mode, reason, hits };
}

type VectorSide = {
  vector: VectorHit[];
  reason: string | undefined;
  mode: DocumentSearchResult["mode"];
};

/** The vector side of searchDocuments, or why there is none. Awaits nothing when the embedding is given. */
async function searchVectors(
  ctx: Pick<ServiceContext, "db" | "orgId" | "log">,
  ai: SearchAi,
  input: DocumentSearchInput,
  filters: DocumentFilters,
  depth: number,
): Promise<VectorSide> {
  const model = ai.embeddingModel();
  if (!model) {
    return {
      vector: [],
      mode: "keyword",
      reason: "No embedding model is installed, so results are ranked by keywords alone.",
    };
  }
  // A given embedding needs no work first: the scans are posted at once, and the coverage
  // below is counted while they run (an answer it makes moot is dropped).
  const early = input.embedding
    ? nearestChunksConcurrent(ctx.db, model, vectorInput(ctx, input.embedding, filters, depth))
    : null;
  early?.catch(() => undefined); // awaited below, unless an early answer drops it
  const coverage = countDocumentsNotEmbedded(ctx.db, ctx.orgId, model.id, filters);
  // Nothing indexed yet: nothing to rank either way, and no reason to embed the query.
  if (coverage.total === 0) return { vector: [], mode: "hybrid", reason: undefined };
  if (coverage.notEmbedded === coverage.total) {
    return {
      vector: [],
      mode: "keyword",
      reason: "The documents are still being embedded by the current model, so results are ranked by keywords alone.",
    };
  }
  // `??` rather than a plain await: a given embedding must not yield before the scans are posted.
  const embedding = input.embedding ?? (await embedQuery(ctx, ai, input));
  if (embedding === null) {
    return {
      vector: [],
      mode: "keyword",
      reason: "The embedding model could not be used just now, so results are ranked by keywords alone.",
    };
  }
  const vector = await (early ?? nearestChunksConcurrent(ctx.db, model, vectorInput(ctx, embedding, filters, depth)));
  const reason =
    coverage.notEmbedded > 0
      ? `${coverage.notEmbedded} of ${coverage.total} documents are not embedded by the current model yet; they are ranked by keywords alone.`
      : undefined;
  return { vector, mode: "hybrid", reason };
}

function vectorInput(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  embedding: Float32Array,
  filters: DocumentFilters,
  depth: number,
): NearestInput {
  const chunkIds = hasFilters(filters) ? filteredChunkIds(ctx.db, ctx.orgId, filters) : undefined;
  return { orgId: ctx.orgId, embedding, limit: depth, chunkIds };
}

async function embedQuery(
  ctx: Pick<ServiceContext, "log">,
  ai: SearchAi,
  input: DocumentSearchInput,
): Promise<Float32Array | null> {
  if (input.embedding) return input.embedding;
  if (!input.q.trim()) return null;
  try {
    const [embedding] = await ai.embed([input.q], { signal: input.signal });
    return embedding ?? null;
  } catch (error) {
    // A full queue or a model being swapped: keyword results are still an answer.
    ctx.log.warn({ err: error }, "search: embedding the query failed; keyword ranking only");
    return null;
  }
}

/** The start of a chunk, cut at a word, for a hit only the vector side found (no matched words to show). */
function plainSnippet(text: string): TextPart[] {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= PLAIN_SNIPPET_CHARS) return flat ? [{ text: flat, match: false }] : [];
  const cut = flat.slice(0, PLAIN_SNIPPET_CHARS);
  const space = cut.lastIndexOf(" ");
  return [{ text: `${space > PLAIN_SNIPPET_CHARS / 2 ? cut.slice(0, space) : cut}…`, match: false }];
}
