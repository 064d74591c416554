import type { Conversation } from "../../../models/knowledge.ts";
import type { AiRuntime } from "../../ai/runtime.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { type DocumentHit, searchDocuments } from "../search/search.ts";
import type { Excerpt } from "./prompt.ts";

/** Passages retrieved per question; the context window may keep fewer. */
export const EXCERPTS_PER_QUESTION = 6;
/**
 * A passage only the vector side found counts when it is at least this similar to the question.
 * Below it, nearest neighbours are merely the least unrelated chunks, and answering from them
 * would pass guesses off as the documents' word.
 */
export const MIN_SIMILARITY = 0.5;

/**
 * The passages an answer may use: searched inside the caller's organisation and the
 * conversation's scope (its equipment's manuals or its project's documents), fixed here before
 * the model runs, so nothing the model or a document says can widen it. Only relevant hits are
 * kept: a keyword of the question matched, or the vector side found it similar enough. None
 * means the documents do not contain the answer, decided here rather than by the model.
 */
export async function retrieveExcerpts(
  ctx: Pick<ServiceContext, "db" | "orgId" | "log">,
  ai: Pick<AiRuntime, "embeddingModel" | "embed">,
  conversation: Pick<Conversation, "orgId" | "equipmentId" | "projectId">,
  question: string,
  signal?: AbortSignal,
): Promise<Excerpt[]> {
  // The conversation is the caller's (checked before); its organisation is theirs too.
  if (conversation.orgId !== ctx.orgId) return [];
  const result = await searchDocuments(ctx, ai, {
    q: question,
    limit: EXCERPTS_PER_QUESTION,
    equipmentId: conversation.equipmentId ?? undefined,
    projectId: conversation.projectId ?? undefined,
    signal,
  });
  return result.hits.filter(isRelevant).map(excerptOf);
}

export function isRelevant(hit: Pick<DocumentHit, "keywordRank" | "similarity">): boolean {
  return hit.keywordRank !== null || (hit.similarity !== null && hit.similarity >= MIN_SIMILARITY);
}

function excerptOf(hit: DocumentHit): Excerpt {
  return {
    documentId: hit.documentId,
    title: hit.title,
    chunkId: hit.chunkId,
    page: hit.page,
    heading: hit.heading,
    text: hit.text,
  };
}
