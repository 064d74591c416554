/**
 * How many messages may be in the provider's hands at once across every drain of the box (each
 * organisation's drain runs its own lanes): a counting semaphore, first come first served.
 */
export class SendSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Resolves with the slot's release once one is free; null if `signal` fires first. */
  acquire(signal: AbortSignal): Promise<(() => void) | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      const granted = () => {
        signal.removeEventListener("abort", gaveUp);
        resolve(this.#releaser());
      };
      const gaveUp = () => {
        const index = this.#waiting.indexOf(granted);
        if (index >= 0) this.#waiting.splice(index, 1);
        resolve(null);
      };
      this.#waiting.push(granted);
      signal.addEventListener("abort", gaveUp, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
