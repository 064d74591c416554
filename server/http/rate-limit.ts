import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "./errors.ts";

type Window = { count: number; resetAt: number };

/**
 * A fixed-window counter per key, in memory (one process, so memory is the truth). Answers
 * 429 with Retry-After past the limit and always sends the RateLimit-* headers.
 */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one hit for `key`; returns what is left and when the window resets. */
  hit(key: string, now = Date.now()): { allowed: boolean; remaining: number; resetAt: number } {
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.#windows.set(key, window);
      if (this.#windows.size > 10_000) this.#sweep(now);
    }
    window.count += 1;
    return {
      allowed: window.count <= this.limit,
      remaining: Math.max(this.limit - window.count, 0),
      resetAt: window.resetAt,
    };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

export function applyRateLimit(c: Context, limiter: RateLimiter, key: string): void {
  const result = limiter.hit(key);
  const resetSeconds = Math.max(Math.ceil((result.resetAt - Date.now()) / 1000), 1);
  c.header("RateLimit-Limit", String(limiter.limit));
  c.header("RateLimit-Remaining", String(result.remaining));
  c.header("RateLimit-Reset", String(resetSeconds));
  if (!result.allowed) {
    throw new AppError("rate_limited", `Too many requests. Try again in ${formatWait(resetSeconds)}.`, [], {
      "Retry-After": String(resetSeconds),
      "RateLimit-Limit": String(limiter.limit),
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": String(resetSeconds),
    });
  }
}

/** Middleware form: `rateLimit(limiter, (c) => c.var.clientIp)`. */
export function rateLimit(limiter: RateLimiter, keyOf: (c: Context) => string): MiddlewareHandler {
  return async function rateLimit(c, next) {
    applyRateLimit(c, limiter, keyOf(c));
    await next();
  };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}
