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

export type Generation = { text: string; tokens: number; stopped: boolean };

export type EmbeddingModelInfo = { id: string; name: string; dimensions: number };
export type ChatModelInfo = { id: string; name: string; contextSize: number };

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
}
