import { AppError } from "../http/errors.ts";

export type QueueLimits = { concurrency: number; queueSize: number };
export type QueueState = { running: number; waiting: number } & QueueLimits;

type Waiter = { start: () => void; abandon: () => void };

/**
 * Bounded concurrency with a bounded wait list: at most `concurrency` jobs run, at most
 * `queueSize` wait, and one more is refused at once (503 with Retry-After) instead of piling up
 * in memory. Limits are read per job, so a changed setting applies to the next request.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly limits: () => QueueLimits,
    /** Seconds a refused client should wait before trying again. */
    private readonly retryAfterSeconds: () => number,
    private readonly busyMessage: string,
  ) {}

  state(): QueueState {
    return { running: this.running, waiting: this.waiting.length, ...this.limits() };
  }

  /**
   * Runs `job` when a slot is free. A signal that aborts while the job waits takes it out of
   * the line; `job` is then never started and `onAbandon`'s value is returned.
   */
  async run<T>(job: () => Promise<T>, signal: AbortSignal | undefined, onAbandon: () => T): Promise<T> {
    const { concurrency, queueSize } = this.limits();
    if (signal?.aborted) return onAbandon();
    if (this.running >= concurrency) {
      if (this.waiting.length >= queueSize) {
        throw new AppError("unavailable", this.busyMessage, [], { "Retry-After": String(this.retryAfterSeconds()) });
      }
      const started = await this.waitForSlot(signal);
      if (!started) return onAbandon();
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.startNext();
    }
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(true);
        },
        abandon: onAbort,
      };
      this.waiting.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private startNext(): void {
    while (this.running < this.limits().concurrency) {
      const next = this.waiting.shift();
      if (!next) return;
      this.running += 1;
      next.start();
    }
  }

  /** Takes every waiting job out of the line (shutdown); running ones finish or abort on their own. */
  abandonAll(): void {
    for (const waiter of this.waiting.splice(0)) waiter.abandon();
  }
}
