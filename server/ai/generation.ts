import type { LlamaGrammar, LlamaJsonSchemaGrammar } from "node-llama-cpp";
import { AppError } from "../http/errors.ts";
import { countPromptTokens, generateOnEngine, promptTooLong, type RawGeneration } from "./chat-engine.ts";
import type { RuntimeParts } from "./llama-runtime.ts";
import type { ChatTurn, GenerateOptions, Generation } from "./runtime.ts";

type GrammarFor = (parts: RuntimeParts) => Promise<LlamaGrammar | undefined>;

/**
 * What bounds the tokens generated (see AiRuntime.generate and generateJson): a chat answer is
 * capped by the admin's max-tokens setting, a JSON value only by the caller and the window.
 */
export type TokenBound = "answer" | "json";

/** A prompt leaving less room than this (or than the caller asked for, when less) is refused. */
const MIN_ANSWER_ROOM = 16;

/**
 * One chat generation: waits in the bounded queue, runs on the chat engine, streams through
 * onToken, and ends early (stopped: true, never an error) on the caller's abort, the request
 * timeout (which counts the wait in the queue) or shutdown. The prompt is measured with the
 * model's tokenizer first: one that leaves no room for the answer is a 422, never a crash of
 * node-llama-cpp's context shift, and the answer never runs past the window.
 */
export async function runGeneration(
  parts: RuntimeParts,
  turns: ChatTurn[],
  options: GenerateOptions,
  grammarFor: GrammarFor = async () => undefined,
  bound: TokenBound = "answer",
): Promise<Generation> {
  if (!parts.served("chat")) {
    throw new AppError("unavailable", "No chat model is installed: an admin can add one in Settings → AI.");
  }
  const settings = parts.serving();
  const timeout = AbortSignal.timeout(settings.timeoutSeconds * 1000);
  const signal = AbortSignal.any([parts.closing, timeout, ...(options.signal ? [options.signal] : [])]);
  const why = (): Generation["stopReason"] => (timeout.aborted && !options.signal?.aborted ? "timeout" : "aborted");
  const queuedAt = performance.now();
  return parts.queue.run(
    () =>
      parts.useChat(async (engine) => {
        const wanted = options.maxTokens ?? settings.maxTokens;
        const limit = bound === "answer" ? Math.min(wanted, settings.maxTokens) : wanted;
        const promptTokens = countPromptTokens(engine, turns);
        const room = engine.contextSize - promptTokens;
        if (room < Math.min(limit, MIN_ANSWER_ROOM)) throw promptTooLong(promptTokens, engine.contextSize);
        const grammar = await grammarFor(parts);
        let firstTokenAt = 0;
        const raw: RawGeneration = await generateOnEngine(engine, turns, {
          maxTokens: Math.max(1, Math.min(limit, room)),
          temperature: options.temperature ?? settings.temperature,
          topP: options.topP ?? settings.topP,
          signal,
          grammar,
          onText: options.onToken,
          onFirstToken: () => {
            firstTokenAt = performance.now();
          },
        });
        const end = performance.now();
        parts.stats.record({
          tokens: raw.tokens,
          generatingMs: firstTokenAt > 0 ? end - firstTokenAt : 0,
          totalMs: end - queuedAt,
        });
        const stopped = raw.stopReason === "abort" || signal.aborted;
        return {
          text: raw.text,
          tokens: raw.tokens,
          stopped,
          stopReason: stopped ? why() : raw.stopReason === "maxTokens" ? "max_tokens" : "finished",
        };
      }),
    signal,
    () => ({ text: "", tokens: 0, stopped: true, stopReason: why() }),
  );
}

const grammars = new Map<string, Promise<LlamaJsonSchemaGrammar<never>>>();
const MAX_CACHED_GRAMMARS = 32;

/**
 * Generates under node-llama-cpp's JSON-schema grammar, so every token keeps the text valid
 * for `schema`, then parses and validates the result against the schema. An answer cut short
 * (aborted, timed out, out of tokens) is not JSON: that is an "unavailable" error, not a value.
 */
export async function runJsonGeneration(
  parts: RuntimeParts,
  schema: object,
  turns: ChatTurn[],
  options: GenerateOptions,
): Promise<unknown> {
  let grammar: LlamaJsonSchemaGrammar<never> | undefined;
  const generation = await runGeneration(
    parts,
    turns,
    options,
    async () => {
      grammar = await grammarFor(parts, schema);
      return grammar;
    },
    "json",
  );
  if (generation.stopped || generation.stopReason === "max_tokens" || !grammar) {
    const why =
      generation.stopReason === "max_tokens"
        ? "it ran out of tokens (raise maxTokens or shorten the prompt)"
        : generation.stopReason === "timeout"
          ? "the request timed out"
          : "it was stopped";
    throw new AppError("unavailable", `The model did not finish the JSON answer: ${why}.`);
  }
  try {
    return grammar.parse(generation.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("internal", `The model's JSON answer does not match the schema: ${reason}`);
  }
}

function grammarFor(parts: RuntimeParts, schema: object): Promise<LlamaJsonSchemaGrammar<never>> {
  // A grammar belongs to one llama.cpp binding (CPU or GPU).
  const key = `${parts.deps.config.ai.gpu}\0${JSON.stringify(schema)}`;
  let grammar = grammars.get(key);
  if (!grammar) {
    if (grammars.size >= MAX_CACHED_GRAMMARS) grammars.delete(grammars.keys().next().value ?? "");
    // The schema is the caller's JSON schema; node-llama-cpp's GbnfJsonSchema type cannot be
    // derived from an `object` without a cast.
    grammar = parts
      .llama()
      .then((llama) => llama.createGrammarForJsonSchema(schema as never) as Promise<LlamaJsonSchemaGrammar<never>>);
    grammars.set(key, grammar);
    grammar.catch(() => grammars.delete(key));
  }
  return grammar.catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("validation_failed", `The JSON schema cannot be turned into a grammar: ${reason}`);
  });
}
