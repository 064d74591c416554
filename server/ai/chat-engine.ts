import type {
  ChatHistoryItem,
  ChatWrapper,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import { AppError } from "../http/errors.ts";
import { assertModelFits } from "./memory-fit.ts";
import type { ServedModel } from "./model-selection.ts";
import type { ChatTurn } from "./runtime.ts";

/** A loaded chat model: one context with a sequence per concurrent generation. */
export type ChatEngine = {
  served: ServedModel;
  llama: Llama;
  model: LlamaModel;
  contextSize: number;
  threads: number;
  sequences: number;
  chatWrapper: ChatWrapper;
  hasChatTemplate: boolean;
  /** Runs `work` with a free sequence, waiting for one when all are busy. */
  withSequence: <T>(work: (sequence: LlamaContextSequence) => Promise<T>) => Promise<T>;
  dispose: () => Promise<void>;
};

export type ChatEngineOptions = { threads: number; contextSize: number; sequences: number; freeMemory?: () => number };

export async function loadChatEngine(
  llama: Llama,
  served: ServedModel,
  options: ChatEngineOptions,
): Promise<ChatEngine> {
  const { readGgufFileInfo, resolveChatWrapper, GeneralChatWrapper } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(served.path, { logWarnings: false });
  const trained = (info.architectureMetadata as { context_length?: number }).context_length ?? options.contextSize;
  const contextSize = Math.min(options.contextSize, trained);
  await assertModelFits(
    llama,
    served.path,
    served.name,
    { contextSize, sequences: options.sequences, embedding: false },
    options.freeMemory,
  );
  const model = await llama.loadModel({ modelPath: served.path, gpuLayers: llama.gpu === false ? 0 : "auto" });
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize, sequences: options.sequences, threads: options.threads });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  const template = (info.metadata.tokenizer as { chat_template?: unknown } | undefined)?.chat_template;
  const hasChatTemplate = typeof template === "string" && template.length > 0;
  // The model's own template when it has one; a model without one (base models, the tiny test
  // model) gets the plain general format rather than a guess at a chat format it never learned.
  const chatWrapper = hasChatTemplate ? resolveChatWrapper(model) : new GeneralChatWrapper();
  const free: LlamaContextSequence[] = [];
  for (let i = 0; i < options.sequences; i += 1) free.push(context.getSequence());
  const waiting: ((sequence: LlamaContextSequence) => void)[] = [];
  const release = (sequence: LlamaContextSequence) => {
    const next = waiting.shift();
    if (next) next(sequence);
    else free.push(sequence);
  };
  return {
    served,
    llama,
    model,
    contextSize: context.contextSize,
    threads: options.threads,
    sequences: options.sequences,
    chatWrapper,
    hasChatTemplate,
    withSequence: async (work) => {
      const sequence = free.pop() ?? (await new Promise<LlamaContextSequence>((resolve) => waiting.push(resolve)));
      try {
        return await work(sequence);
      } finally {
        release(sequence);
      }
    },
    dispose: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
}

export type SamplingOptions = {
  maxTokens: number;
  temperature: number;
  topP: number;
  signal: AbortSignal;
  grammar?: LlamaGrammar;
  onText?: (text: string) => void;
  /** When the first token came out, for the tokens/s figure. */
  onFirstToken?: () => void;
};

export type RawGeneration = { text: string; tokens: number; stopReason: string };

/** One generation on a free sequence; an abort stops it and keeps what was generated. */
export async function generateOnEngine(
  engine: ChatEngine,
  turns: ChatTurn[],
  options: SamplingOptions,
): Promise<RawGeneration> {
  const { LlamaChat } = await import("node-llama-cpp");
  return engine.withSequence(async (sequence) => {
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: engine.chatWrapper });
    let text = "";
    let tokens = 0;
    try {
      const response = await chat.generateResponse(toHistory(turns), {
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        topP: options.topP,
        grammar: options.grammar,
        signal: options.signal,
        stopOnAbortSignal: true,
        onToken: (generated) => {
          if (tokens === 0) options.onFirstToken?.();
          tokens += generated.length;
        },
        onTextChunk: (chunk) => {
          text += chunk;
          options.onText?.(chunk);
        },
      });
      return { text: response.response, tokens, stopReason: response.metadata.stopReason };
    } catch (error) {
      // An abort before the first token (still reading the prompt) throws instead of returning.
      if (options.signal.aborted) return { text, tokens, stopReason: "abort" };
      // Should the count before the call ever disagree with node-llama-cpp's, its failed
      // context shift is still the caller's too-long prompt, not a crash.
      if (error instanceof Error && /context shift|too long prompt/i.test(error.message)) {
        throw promptTooLong(countPromptTokens(engine, turns), engine.contextSize);
      }
      throw error;
    } finally {
      chat.dispose();
    }
  });
}

/**
 * Tokens the prompt takes once the chat template has wrapped `turns` (beginning-of-text token
 * included): exactly what LlamaChat evaluates before the first generated token.
 */
export function countPromptTokens(engine: ChatEngine, turns: ChatTurn[]): number {
  const { contextText } = engine.chatWrapper.generateContextState({ chatHistory: toHistory(turns) });
  return contextText.tokenize(engine.model.tokenizer).length;
}

/** The answer to a prompt that does not fit: the caller (or the assistant's trimming) must shorten it. */
export function promptTooLong(promptTokens: number, contextSize: number): AppError {
  return new AppError("validation_failed", "The prompt is too long for the chat model's context window.", [
    {
      path: "prompt",
      message: `The prompt takes ${promptTokens} tokens of the ${contextSize}-token window and leaves no room for an answer. Shorten it.`,
    },
  ]);
}

/** The turns as node-llama-cpp's history, ending in the empty model response to be generated. */
export function toHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) =>
    turn.role === "system"
      ? { type: "system", text: turn.content }
      : turn.role === "user"
        ? { type: "user", text: turn.content }
        : { type: "model", response: [turn.content] },
  );
  history.push({ type: "model", response: [] });
  return history;
}
