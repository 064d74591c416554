import { freemem, totalmem } from "node:os";
import type { Llama } from "node-llama-cpp";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { type ChatEngine, loadChatEngine } from "./chat-engine.ts";
import { ChatTokenizer } from "./chat-tokenizer.ts";
import { type EmbeddingEngine, loadEmbeddingEngine } from "./embedding-engine.ts";
import { EngineSlot } from "./engine-slot.ts";
import { runGeneration, runJsonGeneration } from "./generation.ts";
import { readGgufFacts } from "./gguf-facts.ts";
import { loadLlama } from "./llama.ts";
import { environmentServedModel, findChosenServedModel, type ModelRole, type ServedModel } from "./model-selection.ts";
import type { AiRuntime, AiRuntimeStatus, ServedModelStatus } from "./runtime.ts";
import { type EffectiveServing, effectiveServing } from "./serving-settings.ts";
import { TokenStats } from "./token-stats.ts";
import { WorkQueue } from "./work-queue.ts";

export type RuntimeDeps = { config: Config; db: Db; log: Logger };
export type RuntimeOptions = {
  /** Free memory as the fit check sees it; tests pretend a small box. */
  freeMemory?: () => number;
};

/** Everything a generation needs from the runtime; see generation.ts. */
export type RuntimeParts = {
  deps: RuntimeDeps;
  queue: WorkQueue;
  stats: TokenStats;
  serving: () => EffectiveServing;
  served: (role: ModelRole) => ServedModel | null;
  useChat: <T>(work: (engine: ChatEngine) => Promise<T>) => Promise<T>;
  llama: () => Promise<Llama>;
  /** Aborted at shutdown: every running generation stops. */
  closing: AbortSignal;
};

const noModel = (what: "chat" | "embedding") =>
  new AppError("unavailable", `No ${what} model is installed: an admin can add one in Settings → AI.`);

/**
 * The real runtime: models load on first use (or at warm-up) from the operator's environment
 * path or the admin's choice, read afresh on every call so that a new choice applies at once.
 * A box with no model pays nothing: node-llama-cpp is not even imported.
 */
export async function createLlamaRuntime(deps: RuntimeDeps, options: RuntimeOptions = {}): Promise<AiRuntime> {
  const { config, db, log } = deps;
  const envModels: Record<ModelRole, ServedModel | null> = { chat: null, embedding: null };
  for (const [role, path] of [
    ["chat", config.ai.chatModelPath],
    ["embedding", config.ai.embeddingModelPath],
  ] as const) {
    if (!path) continue;
    const served = environmentServedModel(path);
    try {
      const facts = await readGgufFacts(path);
      envModels[role] = { ...served, contextLength: facts.contextLength, embeddingLength: facts.embeddingLength };
    } catch (error) {
      log.error({ err: error, path }, `the ${role} model file named by the environment is not a GGUF model`);
      envModels[role] = served;
    }
  }
  const served = (role: ModelRole) => envModels[role] ?? findChosenServedModel(db, config.dataDir, role);
  const serving = () => effectiveServing(db, config.ai);
  const chatSlot = new EngineSlot<ChatEngine>("chat", log);
  const embeddingSlot = new EngineSlot<EmbeddingEngine>("embedding", log);
  const stats = new TokenStats();
  const closer = new AbortController();
  let closed = false;
  let loadedGpu: string | null = null;
  const llama = async () => {
    const instance = await loadLlama(config.ai.gpu, log);
    loadedGpu = instance.gpu === false ? "none" : instance.gpu;
    // The serving thread count caps llama.cpp as a whole: chat and embeddings evaluating at
    // once share the cores instead of each taking all of them.
    instance.maxThreads = serving().threads;
    return instance;
  };

  const tokenizer = new ChatTokenizer(llama, log);

  const chatKey = (model: ServedModel, settings: EffectiveServing) =>
    `${model.path}|${settings.threads}|${settings.contextSize}|${settings.concurrency}`;
  const embeddingKey = (model: ServedModel, settings: EffectiveServing) =>
    `${model.path}|${settings.threads}|${settings.contextSize}`;

  const loadChat = (model: ServedModel, settings: EffectiveServing) => async () =>
    explainLoadFailure(model, "chat", async () =>
      loadChatEngine(await llama(), model, {
        threads: settings.threads,
        contextSize: settings.contextSize,
        sequences: settings.concurrency,
        freeMemory: options.freeMemory,
      }),
    );
  const loadEmbedding = (model: ServedModel, settings: EffectiveServing) => async () =>
    explainLoadFailure(model, "embedding", async () =>
      loadEmbeddingEngine(await llama(), model, {
        threads: settings.threads,
        contextSize: settings.contextSize,
        freeMemory: options.freeMemory,
      }),
    );

  const useChat = <T>(work: (engine: ChatEngine) => Promise<T>): Promise<T> => {
    if (closed) throw new AppError("unavailable", "Opsbox is shutting down.");
    const model = served("chat");
    if (!model) throw noModel("chat");
    const settings = serving();
    return chatSlot.use(chatKey(model, settings), loadChat(model, settings), work);
  };

  const queue = new WorkQueue(
    () => {
      const settings = serving();
      return { concurrency: settings.concurrency, queueSize: settings.queueSize };
    },
    () => retryAfterSeconds(stats, queue),
    "The assistant is busy with other questions. Try again in a moment.",
  );
  // Embeddings wait in their own line, one batch at a time, so that ingestion never fills the chat queue.
  const embedQueue = new WorkQueue(
    () => ({ concurrency: 1, queueSize: 256 }),
    () => 5,
    "The embedding model is busy. Try again in a moment.",
  );
  const parts: RuntimeParts = { deps, queue, stats, serving, served, useChat, llama, closing: closer.signal };

  const describe = (role: ModelRole): ServedModelStatus | null => {
    const model = served(role);
    if (!model) return null;
    const settings = serving();
    const key = role === "chat" ? chatKey(model, settings) : embeddingKey(model, settings);
    const { state, error } = (role === "chat" ? chatSlot : embeddingSlot).describe(key);
    const engine = role === "chat" ? chatSlot.loaded(key) : embeddingSlot.loaded(key);
    return {
      id: model.id,
      name: model.name,
      from: model.from,
      state,
      error,
      contextSize: engine?.contextSize ?? null,
      threads: engine ? settings.threads : null,
    };
  };

  return {
    embeddingModel() {
      const model = served("embedding");
      if (!model?.embeddingLength) return null;
      return { id: model.id, name: model.name, dimensions: model.embeddingLength };
    },
    async embed(texts, embedOptions = {}) {
      if (closed) throw new AppError("unavailable", "Opsbox is shutting down.");
      const model = served("embedding");
      if (!model) throw noModel("embedding");
      if (texts.length === 0) return [];
      const settings = serving();
      const signal = embedOptions.signal;
      const abandoned = (): Float32Array[] => {
        throw signal?.reason ?? new DOMException("The embedding was aborted.", "AbortError");
      };
      return embedQueue.run(
        () =>
          embeddingSlot.use(embeddingKey(model, settings), loadEmbedding(model, settings), async (engine) => {
            const vectors: Float32Array[] = [];
            for (const text of texts) {
              signal?.throwIfAborted();
              vectors.push(await engine.embedOne(text));
            }
            return vectors;
          }),
        signal,
        abandoned,
      );
    },
    chatModel() {
      const model = served("chat");
      if (!model) return null;
      const settings = serving();
      const loaded = chatSlot.loaded(chatKey(model, settings));
      const contextSize = loaded?.contextSize ?? Math.min(settings.contextSize, model.contextLength ?? Infinity);
      return { id: model.id, name: model.name, contextSize, maxAnswerTokens: settings.maxTokens };
    },
    countTokens(text) {
      const model = served("chat");
      if (!model) return estimateTokens(text);
      // The tokenizer is the file's, whatever context or threads the engine was loaded with.
      const counter = chatSlot.loaded(chatKey(model, serving()))?.model ?? tokenizer.loaded(model.path);
      if (counter) return counter.tokenize(text).length;
      if (!closed) void tokenizer.load(model.path);
      return estimateTokens(text);
    },
    async loadTokenizer() {
      const model = served("chat");
      if (model && !closed) await tokenizer.load(model.path);
    },
    generate: (turns, generateOptions = {}) => runGeneration(parts, turns, generateOptions),
    generateJson: (schema, turns, generateOptions = {}) => runJsonGeneration(parts, schema, turns, generateOptions),
    warmUp() {
      if (closed) return;
      const settings = serving();
      const chat = served("chat");
      if (chat) {
        void tokenizer.load(chat.path);
        chatSlot.warm(chatKey(chat, settings), loadChat(chat, settings));
      }
      const embedding = served("embedding");
      if (embedding) embeddingSlot.warm(embeddingKey(embedding, settings), loadEmbedding(embedding, settings));
    },
    status(): AiRuntimeStatus {
      return {
        gpu: loadedGpu,
        chat: describe("chat"),
        embedding: describe("embedding"),
        memory: { freeBytes: freemem(), totalBytes: totalmem(), processRssBytes: process.memoryUsage.rss() },
        recentTokensPerSecond: stats.tokensPerSecond(),
        recentGenerations: stats.count(),
        queue: queue.state(),
      };
    },
    async close() {
      closed = true;
      queue.abandonAll();
      embedQueue.abandonAll();
      closer.abort(new DOMException("Opsbox is shutting down.", "AbortError"));
      await Promise.all([chatSlot.close(), embeddingSlot.close(), tokenizer.close()]);
    },
  };
}

/** What countTokens answers without the model's tokenizer: an undercount for small vocabularies. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Load failures become a 503 that says which model and why, never a bare 500. */
async function explainLoadFailure<E>(model: ServedModel, role: ModelRole, load: () => Promise<E>): Promise<E> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("unavailable", `The ${role} model ${model.name} could not be loaded: ${reason}`);
  }
}

/** Roughly when a slot frees up: the recent average request time times the line ahead, 1 s to 2 min. */
function retryAfterSeconds(stats: TokenStats, queue: WorkQueue): number {
  const state = queue.state();
  const average = stats.averageSeconds() ?? 5;
  const ahead = (state.waiting + state.running) / Math.max(1, state.concurrency);
  return Math.min(120, Math.max(1, Math.ceil(average * ahead)));
}
