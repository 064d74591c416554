/** One finished generation, for the status page's recent speed. */
export type GenerationSample = { tokens: number; generatingMs: number; totalMs: number };

/** The last few generations: how fast tokens came out, and how long a request took. */
export class TokenStats {
  private readonly samples: GenerationSample[] = [];

  constructor(private readonly keep = 20) {}

  record(sample: GenerationSample): void {
    this.samples.push(sample);
    if (this.samples.length > this.keep) this.samples.shift();
  }

  /** Tokens per second while generating (prompt reading excluded), over the recent samples; null before any. */
  tokensPerSecond(): number | null {
    const useful = this.samples.filter((sample) => sample.tokens > 0 && sample.generatingMs > 0);
    const tokens = useful.reduce((sum, sample) => sum + sample.tokens, 0);
    const ms = useful.reduce((sum, sample) => sum + sample.generatingMs, 0);
    return ms > 0 ? (tokens * 1000) / ms : null;
  }

  /** Average seconds a request took; null before any. */
  averageSeconds(): number | null {
    if (this.samples.length === 0) return null;
    return this.samples.reduce((sum, sample) => sum + sample.totalMs, 0) / this.samples.length / 1000;
  }

  count(): number {
    return this.samples.length;
  }
}
