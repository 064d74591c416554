import type { Citation, ConversationMessage } from "../../../models/knowledge.ts";
import type { AiRuntime, Generation } from "../../ai/runtime.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { AppError } from "../../http/errors.ts";
import { newId } from "../../tools/ids.ts";
import { conversationOrNotFound, listConversationMessages, storeExchange } from "./conversations.ts";
import { claimGeneration, releaseGeneration } from "./generations.ts";
import { buildAnswerPrompt, type HistoryTurn } from "./prompt.ts";
import { retrieveExcerpts } from "./retrieval.ts";
import { TokenQueue } from "./token-queue.ts";

export type AssistantContext = ServiceContext & { ai: AiRuntime };

/** The plain answer when retrieval found nothing relevant: decided from retrieval, never left to the model. */
export const NOT_IN_DOCUMENTS =
  "The documents do not contain the answer to this question: no passage of them matches it.";

export const NO_CHAT_MODEL =
  "No chat model is installed, so the assistant cannot answer yet. An admin can install one in Settings → AI " +
  "(the suggested model is Phi-3-mini-4k-instruct, Q4).";

/**
 * How long a started generation is given to be refused (a full queue refuses at once) before
 * the answer counts as accepted and a stream may begin: a refusal is then a 503, not an event.
 */
const ACCEPT_GRACE_MS = 50;

export type RunningAnswer = {
  citations: Citation[];
  /** The answer's text as it is written; ends when the answer is stored. */
  tokens: TokenQueue;
  /** The stored answer: complete, stopped (stop button, disconnect) or failed. */
  finished: Promise<ConversationMessage>;
};

/**
 * Answers a question in the caller's conversation: retrieves inside the organisation and the
 * conversation's scope, and answers from those passages only, or says plainly that the
 * documents do not contain the answer. Resolves once the answer is under way; throws before
 * anything is stored for an unknown conversation (404), an answer still running (409), no chat
 * model or a full queue (503).
 */
export async function startAnswer(
  ctx: AssistantContext,
  conversationId: string,
  question: string,
  options: { signal?: AbortSignal } = {},
): Promise<RunningAnswer> {
  const conversation = conversationOrNotFound(ctx, conversationId);
  const controller = claimGeneration(conversation.id, ctx.userId);
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  const asked = { id: newId("cmg"), content: question, createdAt: new Date() };
  const tokens = new TokenQueue();
  try {
    const excerpts = await retrieveExcerpts(ctx, ctx.ai, conversation, question, signal);
    if (excerpts.length === 0) {
      const message = storeExchange(ctx, conversation, {
        question: asked,
        answer: { content: NOT_IN_DOCUMENTS, citations: [], status: "complete", tokenCount: 0 },
      });
      tokens.push(NOT_IN_DOCUMENTS);
      tokens.end();
      releaseGeneration(conversation.id, controller);
      return { citations: [], tokens, finished: Promise.resolve(message) };
    }
    if (!ctx.ai.chatModel()) throw new AppError("unavailable", NO_CHAT_MODEL);
    // The prompt is fitted with the model's own tokenizer, never the estimate: an estimate
    // undercounts small vocabularies and the prompt would overflow the window.
    await ctx.ai.loadTokenizer();
    const model = ctx.ai.chatModel();
    if (!model) throw new AppError("unavailable", NO_CHAT_MODEL);

    const prompt = buildAnswerPrompt({
      question,
      excerpts,
      history: historyOf(ctx, conversation.id),
      budget: {
        contextSize: model.contextSize,
        maxAnswerTokens: model.maxAnswerTokens,
        countTokens: (text) => ctx.ai.countTokens(text),
      },
    });
    const citations: Citation[] = prompt.excerpts.map((excerpt, index) => ({
      n: index + 1,
      documentId: excerpt.documentId,
      chunkId: excerpt.chunkId,
      page: excerpt.page,
      title: excerpt.title,
    }));
    if (prompt.droppedTurns > 0) {
      ctx.log.debug(
        { conversationId: conversation.id, droppedTurns: prompt.droppedTurns },
        "assistant: history trimmed",
      );
    }

    let written = "";
    let firstPiece = () => {};
    const started = new Promise<void>((resolve) => {
      firstPiece = resolve;
    });
    const generation = ctx.ai.generate(prompt.turns, {
      signal,
      maxTokens: prompt.maxAnswerTokens,
      onToken: (piece) => {
        written += piece;
        tokens.push(piece);
        firstPiece();
      },
    });
    const refused = await Promise.race([
      generation.then(
        () => null,
        (error: unknown) => ({ error }),
      ),
      started.then(() => null),
      Bun.sleep(ACCEPT_GRACE_MS).then(() => null),
    ]);
    if (refused) throw refused.error;

    const store = (answer: Pick<ConversationMessage, "content" | "status" | "tokenCount">) =>
      storeExchange(ctx, conversation, { question: asked, answer: { ...answer, citations } });
    const finished = generation
      .then(
        (result: Generation) =>
          store({
            content: result.text || written,
            status: result.stopped || signal.aborted ? "stopped" : "complete",
            tokenCount: result.tokens,
          }),
        (error: unknown) => {
          if (signal.aborted) return store({ content: written, status: "stopped", tokenCount: 0 });
          ctx.log.error({ err: error, conversationId: conversation.id }, "assistant: generation failed");
          const reason = error instanceof AppError ? error.message : "The answer could not be written.";
          return store({ content: reason, status: "failed", tokenCount: 0 });
        },
      )
      .finally(() => {
        tokens.end();
        releaseGeneration(conversation.id, controller);
      });
    return { citations, tokens, finished };
  } catch (error) {
    releaseGeneration(conversation.id, controller);
    throw error;
  }
}

/** The turns so far that may inform the answer: failed ones carry an error, not a turn of the conversation. */
function historyOf(ctx: AssistantContext, conversationId: string): HistoryTurn[] {
  return listConversationMessages(ctx, conversationId)
    .filter((message) => message.status !== "failed" && message.content.trim() !== "")
    .map((message) => ({ role: message.role, content: message.content }));
}
