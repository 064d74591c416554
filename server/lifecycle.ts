import type { Logger } from "./http/logger.ts";

/** A hook gets the deadline (ms since the epoch) by which the stop must be done. */
type StopHook = { name: string; stop: (deadline: number) => void | Promise<void> };

/**
 * The process's stop sequence. Capabilities register hooks (scheduler, models, …); on
 * SIGTERM main.ts drains HTTP first, then runs the hooks newest-first, then closes the
 * database. `stopping` lets /readyz answer 503 while the process drains.
 */
export class Lifecycle {
  stopping = false;
  readonly #hooks: StopHook[] = [];

  constructor(private readonly log: Logger) {}

  /** Registers work to finish before the database closes; hooks run in reverse order. */
  onStop(name: string, stop: StopHook["stop"]): void {
    this.#hooks.push({ name, stop });
  }

  /** Runs every hook, newest first, each bounded by what is left of `deadlineMs`. */
  async runStopHooks(deadline: number): Promise<void> {
    for (const hook of [...this.#hooks].reverse()) {
      const left = deadline - Date.now();
      try {
        const outcome = await Promise.race([
          Promise.resolve(hook.stop(deadline)).then(() => "done" as const),
          Bun.sleep(Math.max(left, 0)).then(() => "timeout" as const),
        ]);
        if (outcome === "timeout") this.log.warn({ hook: hook.name }, "stop hook did not finish before the deadline");
      } catch (error) {
        this.log.error({ hook: hook.name, err: error }, "stop hook failed");
      }
    }
  }
}
