import type { LlamaGrammar, LlamaJsonSchemaGrammar } from "node-llama-cpp";
import { AppError } from "../http/errors.ts";
import { generateOnEngine, type RawGeneration } from "./chat-engine.ts";
import type { RuntimeParts } from "./llama-runtime.ts";
import type { ChatTurn, GenerateOptions, Generation } from "./runtime.ts";

type GrammarFor = (parts: RuntimeParts) => Promise<LlamaGrammar | undefined>;

/**
 * One chat generation: waits in the bounded queue, runs on the chat engine, streams through
 * onToken, and ends early (stopped: true, never an error) on the caller's abort, the request
 * timeout (which counts the wait in the queue) or shutdown.
 */
export async function runGeneration(
  parts: RuntimeParts,
  turns: ChatTurn[],
  options: GenerateOptions,
  grammarFor: GrammarFor = async () => undefined,
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
        const grammar = await grammarFor(parts);
        let firstTokenAt = 0;
        const raw: RawGeneration = await generateOnEngine(engine, turns, {
          maxTokens: Math.min(options.maxTokens ?? settings.maxTokens, engine.contextSize),
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
  const generation = await runGeneration(parts, turns, options, async () => {
    grammar = await grammarFor(parts, schema);
    return grammar;
  });
  if (generation.stopped || generation.stopReason === "max_tokens" || !grammar) {
    const why =
      generation.stopReason === "max_tokens"
        ? "it ran out of tokens (raise maxTokens)"
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
