import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppDeps, AppEnv } from "./env.ts";

/**
 * Binds the dependencies and a request-scoped logger, then writes one line per request:
 * method, matched route pattern (never the raw path or query, which may carry tokens),
 * status, duration and request id. Never bodies, cookies or headers.
 */
export function requestLog(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    const log = deps.log.child({ requestId: c.var.requestId });
    c.set("deps", deps);
    c.set("log", log);
    await next();
    const status = c.res.status;
    const entry = {
      method: c.req.method,
      route: routePattern(c),
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (status >= 500) log.error(entry, "request");
    else log.info(entry, "request");
  };
}

/** The pattern of the route that matched (`app.use` middleware does not count), or "(unmatched)". */
function routePattern(c: Context): string {
  const routes = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return routes.at(-1)?.path ?? "(unmatched)";
}
