import type { Llama, LlamaModel } from "node-llama-cpp";
import type { Logger } from "../http/logger.ts";

/** How long a tokenizer that failed to load is left alone before the next try. */
const RETRY_FAILED_AFTER_MS = 30_000;

type Entry = { path: string; loading: Promise<void>; model: LlamaModel | null; failedAt: number };

/**
 * The chat model's tokenizer without its weights (node-llama-cpp's `vocabOnly` load: the
 * vocabulary only, megabytes rather than gigabytes), so that prompts are measured with the
 * model's own tokenizer before the chat engine is loaded for the current settings (at start,
 * right after a context-size change). The chars/4 estimate undercounts small vocabularies by
 * 2-3×, enough for a prompt built on it to overflow the window.
 */
export class ChatTokenizer {
  private current: Entry | null = null;

  constructor(
    private readonly llama: () => Promise<Llama>,
    private readonly log: Logger,
  ) {}

  /** The tokenizer of the file at `path` when it is loaded, without waiting. */
  loaded(path: string): LlamaModel | null {
    return this.current?.path === path ? this.current.model : null;
  }

  /** Loads the tokenizer of `path` (once; a failure is logged, retried after a while, never thrown). */
  load(path: string): Promise<void> {
    const current = this.current;
    const stale = current && current.model === null && current.failedAt > 0;
    if (current?.path === path && !(stale && Date.now() - current.failedAt > RETRY_FAILED_AFTER_MS)) {
      return current.loading;
    }
    if (current && current.path !== path) void this.dispose(current);
    const entry: Entry = { path, loading: Promise.resolve(), model: null, failedAt: 0 };
    entry.loading = this.llama()
      .then((llama) => llama.loadModel({ modelPath: path, vocabOnly: true, gpuLayers: 0 }))
      .then(
        (model) => {
          // The choice changed while it loaded: this tokenizer is nobody's any more.
          if (this.current !== entry) return void model.dispose();
          entry.model = model;
        },
        (error: unknown) => {
          entry.failedAt = Date.now();
          this.log.warn(
            { err: error, path },
            "the chat model's tokenizer could not be loaded; token counts are estimates",
          );
        },
      );
    this.current = entry;
    return entry.loading;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await this.dispose(current);
  }

  private async dispose(entry: Entry): Promise<void> {
    await entry.loading;
    const model = entry.model;
    entry.model = null;
    await model?.dispose().catch(() => {});
  }
}
