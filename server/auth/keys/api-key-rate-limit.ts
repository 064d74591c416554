import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { applyRateLimit, RateLimiter } from "../../http/rate-limit.ts";

const limiters = new Map<number, RateLimiter>();

/** The per-key limiter for a limit of `perMinute` requests a minute (one per limit, shared by apps). */
export function apiKeyLimiter(perMinute: number): RateLimiter {
  let limiter = limiters.get(perMinute);
  if (!limiter) {
    limiter = new RateLimiter(perMinute, 60_000);
    limiters.set(perMinute, limiter);
  }
  return limiter;
}

/** Requests per API key at the default limit (OPSBOX_API_KEY_REQUESTS_PER_MINUTE = 600). */
export const apiKeyRequests = apiKeyLimiter(600);

/** Counts every request made with an API key against that key; sessions are not counted here. */
export function apiKeyRateLimit(limiter = apiKeyRequests): MiddlewareHandler<AppEnv> {
  return async function apiKeyRateLimit(c, next) {
    const key = c.var.auth?.apiKey;
    if (key) applyRateLimit(c, limiter, key.id);
    await next();
  };
}
