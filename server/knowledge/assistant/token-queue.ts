/** Pieces of an answer, pushed as the model writes them and read by whoever streams them (in order, once). */
export class TokenQueue implements AsyncIterable<string> {
  private readonly pieces: string[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  push(piece: string): void {
    if (this.ended || piece === "") return;
    this.pieces.push(piece);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    let index = 0;
    while (true) {
      if (index < this.pieces.length) {
        yield this.pieces[index++] as string;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}
