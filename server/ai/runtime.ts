/**
 * The AI runtime's contract: what the knowledge base, the assistant and the agents may ask of
 * the local models. One runtime per process (AppDeps.ai); it owns node-llama-cpp, the loaded
 * models, and the queue that bounds how much generation runs at once.
 */

export type ChatTurn = { role: "system" | "user" | "assistant"; content: string };

export type GenerateOptions = {
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
export type ChatModelInfo = { id: string; name: string; contextSize: number };

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
  /** Tokens of `text` by the chat model's tokenizer (an estimate when there is no chat model). */
  countTokens(text: string): number;
  /**
   * Generates the assistant's next turn after `turns`. Queued with bounded concurrency: a full
   * queue throws AppError("unavailable") with a retry hint; no chat model throws
   * AppError("unavailable") naming what to install.
   */
  generate(turns: ChatTurn[], options?: GenerateOptions): Promise<Generation>;
  /** Generates JSON that conforms to `schema` (a JSON schema node-llama-cpp's grammar accepts). */
  generateJson(schema: object, turns: ChatTurn[], options?: GenerateOptions): Promise<unknown>;
  /** Unloads every model (shutdown). */
  close(): Promise<void>;
  /** Loads the chosen models in the background (at start, after an admin changed a choice or setting). */
  warmUp?(): void;
  /** What is loaded and how it is doing. */
  status?(): AiRuntimeStatus;
}
