import { z } from "zod";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import {
  type DocumentFilters,
  type DocumentHit,
  type DocumentSearchResult,
  type SearchAi,
  searchDocuments,
} from "./search.ts";

/**
 * The documents part of GET /api/v1/search and of the /search page: the same query, hybrid
 * document search (server/knowledge/search/search.ts), with the document filters below.
 */

const id = z.string().trim().max(100).optional();

/** Query parameters that narrow the documents part (the workspace part ignores them). */
export const documentSearchParams = {
  category: z.string().trim().max(100, "A category has at most 100 characters.").optional(),
  tag: z.string().trim().max(100, "A tag has at most 100 characters.").optional(),
  equipmentId: id,
  projectId: id,
};

/** Documents answer at most this many hits, whatever `limit` says (the workspace allows 200). */
export const MAX_DOCUMENT_HITS = 50;

export const documentHitJson = z.object({
  documentId: z.string(),
  title: z.string(),
  chunkId: z.number().int(),
  page: z.number().int().describe("1-based page the passage starts on"),
  heading: z.string(),
  snippet: z.string().describe("Plain text around the matched words"),
  score: z.number().describe("Reciprocal-rank-fusion score (k = 60): higher is better, comparable within one answer"),
  keywordRank: z.number().int().nullable().describe("Rank on the BM25 side, null when only the vectors found it"),
  vectorRank: z.number().int().nullable().describe("Rank on the vector side, null when only the keywords found it"),
  similarity: z.number().nullable().describe("Cosine similarity to the query when the vector side found it"),
  url: z.string().describe("The console page of the document at this page"),
});

export const documentSectionJson = z.object({
  mode: z.enum(["hybrid", "keyword"]).describe("hybrid: BM25 and vectors fused; keyword: BM25 alone (see reason)"),
  reason: z.string().optional().describe("Why some or all documents were ranked by keywords alone"),
  data: z.array(documentHitJson),
});
export type DocumentSectionJson = z.infer<typeof documentSectionJson>;

export type DocumentSectionInput = DocumentFilters & { q: string; limit: number };

/** Searches the caller's documents for the search page and API (the last word matches as a prefix, as in the workspace part). */
export function searchDocumentSection(
  ctx: Pick<ServiceContext, "db" | "orgId" | "log">,
  ai: SearchAi,
  input: DocumentSectionInput,
  signal?: AbortSignal,
): Promise<DocumentSearchResult> {
  return searchDocuments(ctx, ai, {
    q: input.q,
    limit: Math.min(input.limit, MAX_DOCUMENT_HITS),
    category: input.category || undefined,
    tag: input.tag || undefined,
    equipmentId: input.equipmentId || undefined,
    projectId: input.projectId || undefined,
    prefixLast: true,
    signal,
  });
}

export function documentHitToJson(hit: DocumentHit): z.infer<typeof documentHitJson> {
  return {
    documentId: hit.documentId,
    title: hit.title,
    chunkId: hit.chunkId,
    page: hit.page,
    heading: hit.heading,
    snippet: hit.snippet,
    score: hit.score,
    keywordRank: hit.keywordRank,
    vectorRank: hit.vectorRank,
    similarity: hit.similarity,
    url: documentPageHref(hit.documentId, hit.page),
  };
}

export function documentSectionToJson(result: DocumentSearchResult): DocumentSectionJson {
  const data = result.hits.map(documentHitToJson);
  return result.reason === undefined ? { mode: result.mode, data } : { mode: result.mode, reason: result.reason, data };
}
