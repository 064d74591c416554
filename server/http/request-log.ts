import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppDeps, AppEnv } from "./env.ts";
import type { Logger } from "./logger.ts";

/**
 * Binds the dependencies and a request-scoped logger, then writes one line per request:
 * method, matched route pattern (never the raw path or query, which may carry tokens),
 * status, duration and request id. Never bodies, cookies or headers. The same four values go
 * to /metrics' request histogram.
 */
export function requestLog(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    const requestId = c.var.requestId;
    c.set("deps", deps);
    c.set("log", lazyChild(deps.log, { requestId }));
    await next();
    const elapsedMs = performance.now() - started;
    const status = c.res.status;
    const entry = {
      method: c.req.method,
      route: routePattern(c),
      status,
      durationMs: Math.round(elapsedMs * 100) / 100,
    };
    deps.metrics.observeRequest(entry.method, entry.route, status, elapsedMs / 1000);
    // The process logger with the id in the line itself: the same line as a child's, without
    // building a child logger for every request.
    if (status >= 500) deps.log.error({ requestId, ...entry }, "request");
    else deps.log.info({ requestId, ...entry }, "request");
  };
}

/**
 * A child logger made on first use: most requests log nothing but their request line, and
 * pino serialises a child's bindings when it is made.
 */
function lazyChild(log: Logger, bindings: { requestId: string }): Logger {
  let child: Logger | null = null;
  return new Proxy(log, {
    get(_target, property) {
      child ??= log.child(bindings);
      const value = Reflect.get(child, property, child);
      return typeof value === "function" ? value.bind(child) : value;
    },
  });
}

/** The pattern of the route that matched (`app.use` middleware does not count), or "(unmatched)". */
function routePattern(c: Context): string {
  const routes = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return routes.at(-1)?.path ?? "(unmatched)";
}
