/**
 * The AI runtime's contract: what the knowledge base, the assistant and the agents may ask of
 * the local models. One runtime per process (AppDeps.ai); it owns node-llama-cpp, the loaded
 * models, and the queue that bounds how much generation runs at once.
 */

export type ChatTurn = { role: "system" | "user" | "assistant"; content: string };

export type GenerateOptions = {
  /**
   * The most tokens to generate. For generate() a chat answer is capped by the admin's
   * max-tokens serving setting: ask for fewer, never more. For generateJson() see there.
   * Both are also cut to what the context window leaves after the prompt.
   */
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  /** Aborts generation (client disconnect, stop button, timeout); the promise then resolves with stopped: true. */
  signal?: AbortSignal;
  /** Called with each piece of text as it is generated. */
  onToken?: (text: string) => void;
};

export type Generation = {
  text: string;
  tokens: number;
  stopped: boolean;
  /** Why generation ended: the model finished, hit maxTokens, was aborted, or ran past the request timeout. */
  stopReason?: "finished" | "max_tokens" | "aborted" | "timeout";
};

export type EmbeddingModelInfo = { id: string; name: string; dimensions: number };
export type ChatModelInfo = {
  id: string;
  name: string;
  contextSize: number;
  /** The most tokens one chat answer may take (the admin's max-tokens serving setting). */
  maxAnswerTokens: number;
};

/** One role's model on the status page. */
export type ServedModelStatus = {
  id: string;
  name: string;
  /** Chosen by an admin, or named by OPSBOX_CHAT_MODEL / OPSBOX_EMBEDDING_MODEL. */
  from: "environment" | "setting";
  state: "not_loaded" | "loading" | "ready" | "failed";
  /** Why it failed to load (too large for free memory, not a GGUF file …). */
  error: string | null;
  contextSize: number | null;
  threads: number | null;
};

/** Loaded models, memory, recent speed and the queue, for Settings → AI and /api/v1/ai/status. */
export type AiRuntimeStatus = {
  /** The GPU llama.cpp uses ("cuda", "vulkan", "metal"), "none" on the CPU, null before it loaded. */
  gpu: string | null;
  chat: ServedModelStatus | null;
  embedding: ServedModelStatus | null;
  memory: { freeBytes: number; totalBytes: number; processRssBytes: number };
  /** Tokens per second of the recent generations; null before any. */
  recentTokensPerSecond: number | null;
  recentGenerations: number;
  queue: { running: number; waiting: number; concurrency: number; queueSize: number };
};

export interface AiRuntime {
  /** The model that embeds text, or null when none is installed and chosen. */
  embeddingModel(): EmbeddingModelInfo | null;
  /**
   * Embeds texts in one batch, one vector per text (length = dimensions), normalised to unit
   * length. Throws AppError("unavailable") when there is no embedding model.
   */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /** The model that chats, or null when none is installed and chosen. */
  chatModel(): ChatModelInfo | null;
  /**
   * Tokens of `text` by the chat model's tokenizer once loadTokenizer() has resolved (or the
   * chat model is loaded); before that, and without a chat model, an estimate (chars/4, which
   * undercounts small vocabularies by 2-3×). Code that fits a prompt to the window awaits
   * loadTokenizer() first.
   */
  countTokens(text: string): number;
  /**
   * Loads the chosen chat model's tokenizer (its vocabulary only, not the weights) when it is
   * not loaded yet; resolves at once without a chat model. Never rejects: a file that cannot be
   * read leaves countTokens an estimate, and generation then fails with the load's reason.
   */
  loadTokenizer(): Promise<void>;
  /**
   * Generates the assistant's next turn after `turns`. Queued with bounded concurrency: a full
   * queue throws AppError("unavailable") with a retry hint; no chat model throws
   * AppError("unavailable") naming what to install. At most min(options.maxTokens, the admin's
   * max-tokens setting, what the window leaves after the prompt) tokens; a prompt that leaves
   * no room for an answer throws AppError("validation_failed") before anything is generated.
   */
  generate(turns: ChatTurn[], options?: GenerateOptions): Promise<Generation>;
  /**
   * Generates JSON that conforms to `schema` (a JSON schema node-llama-cpp's grammar accepts).
   * Its bound is its own: options.maxTokens (default: the max-tokens setting) up to what the
   * window leaves after the prompt, NOT capped by the max-tokens setting. That setting limits
   * how long prose answers run for a reader; a JSON value cut short is no value at all, and
   * what it may cost is bounded by the schema (maxItems, maxLength), the window and the request
   * timeout. A too-long prompt is AppError("validation_failed") as for generate().
   */
  generateJson(schema: object, turns: ChatTurn[], options?: GenerateOptions): Promise<unknown>;
  /** Unloads every model (shutdown). */
  close(): Promise<void>;
  /** Loads the chosen models in the background (at start, after an admin changed a choice or setting). */
  warmUp?(): void;
  /** What is loaded and how it is doing. */
  status?(): AiRuntimeStatus;
}
