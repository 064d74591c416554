import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { applyRateLimit, RateLimiter } from "../http/rate-limit.ts";

/** Requests per API key: 600 a minute, shared by every route. */
export const apiKeyRequests = new RateLimiter(600, 60_000);

/** Counts every request made with an API key against that key; sessions are not counted here. */
export function apiKeyRateLimit(limiter = apiKeyRequests): MiddlewareHandler<AppEnv> {
  return async function apiKeyRateLimit(c, next) {
    const key = c.var.auth?.apiKey;
    if (key) applyRateLimit(c, limiter, key.id);
    await next();
  };
}
