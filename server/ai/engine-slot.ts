import type { Logger } from "../http/logger.ts";

export type SlotState = "loading" | "ready" | "failed";

/** How long a failed load is remembered before the next request tries again. */
const RETRY_FAILED_AFTER_MS = 30_000;

type Slot<E> = {
  key: string;
  loading: Promise<E>;
  engine: E | null;
  state: SlotState;
  error: string | null;
  failedAt: number;
  /** Requests using the engine now: a replaced engine is disposed only when this reaches 0. */
  active: number;
  retired: boolean;
};

/**
 * The one loaded engine of a role (chat or embeddings), keyed by what it was loaded with
 * (file, threads, context). A request for another key loads a new engine and retires the
 * old one, which is unloaded once its last request is done, so a model never disappears
 * under a running generation.
 */
export class EngineSlot<E extends { dispose: () => Promise<void> }> {
  private current: Slot<E> | null = null;
  private readonly retired = new Set<Slot<E>>();

  constructor(
    private readonly what: string,
    private readonly log: Logger,
  ) {}

  /** Runs `work` with the engine for `key`, loading it first when needed. */
  async use<T>(key: string, load: () => Promise<E>, work: (engine: E) => Promise<T>): Promise<T> {
    const slot = this.slotFor(key, load);
    slot.active += 1;
    try {
      return await work(await slot.loading);
    } finally {
      slot.active -= 1;
      if (slot.retired && slot.active === 0) void this.unload(slot);
    }
  }

  /** Loads in the background (start, after a new choice); a failure is logged and kept for the status page. */
  warm(key: string, load: () => Promise<E>): void {
    this.slotFor(key, load).loading.catch(() => {});
  }

  /** The engine for `key` when it is loaded, without waiting. */
  loaded(key: string): E | null {
    return this.current?.key === key ? this.current.engine : null;
  }

  describe(key: string | null): { state: SlotState | "not_loaded"; error: string | null } {
    if (!key || this.current?.key !== key) return { state: "not_loaded", error: null };
    return { state: this.current.state, error: this.current.error };
  }

  /** Unloads everything once running work is done. */
  async close(): Promise<void> {
    const slots = [...this.retired, ...(this.current ? [this.current] : [])];
    this.current = null;
    await Promise.all(slots.map((slot) => this.unload(slot)));
  }

  private slotFor(key: string, load: () => Promise<E>): Slot<E> {
    const current = this.current;
    const stale = current?.state === "failed" && Date.now() - current.failedAt > RETRY_FAILED_AFTER_MS;
    if (current && current.key === key && !stale) return current;
    if (current) this.retire(current);
    const slot: Slot<E> = {
      key,
      loading: Promise.resolve(null as never),
      engine: null,
      state: "loading",
      error: null,
      failedAt: 0,
      active: 0,
      retired: false,
    };
    const started = Date.now();
    slot.loading = load().then(
      (engine) => {
        slot.engine = engine;
        slot.state = "ready";
        this.log.info({ model: this.what, ms: Date.now() - started }, "model loaded");
        if (slot.retired && slot.active === 0) void this.unload(slot);
        return engine;
      },
      (error: unknown) => {
        slot.state = "failed";
        slot.error = error instanceof Error ? error.message : String(error);
        slot.failedAt = Date.now();
        this.log.error({ model: this.what, err: error }, "model failed to load");
        throw error;
      },
    );
    this.current = slot;
    return slot;
  }

  private retire(slot: Slot<E>): void {
    slot.retired = true;
    this.retired.add(slot);
    if (slot.active === 0) void this.unload(slot);
  }

  private async unload(slot: Slot<E>): Promise<void> {
    this.retired.delete(slot);
    const engine = await slot.loading.catch(() => null);
    if (!engine || slot.engine === null) return;
    slot.engine = null;
    try {
      await engine.dispose();
    } catch (error) {
      this.log.warn({ model: this.what, err: error }, "model did not unload cleanly");
    }
  }
}
