import { type Handler, Hono, type MiddlewareHandler } from "hono";

/** Microseconds each handler spent itself (the time inside its `next()` not counted), summed over requests. */
export type SelfTimes = Map<string, number>;

type RouteEntry = { method: string; path: string; handler: Handler | MiddlewareHandler };

/**
 * A copy of `app` with the same routes in the same order, each handler timed: its own time is
 * what passed between its start and its end less the time spent in `next()`. What the sum
 * leaves out of a request's whole time is Hono's own work (routing, the context, compose) and
 * the wrappers'. For the profile only: the not-found handler is not copied.
 */
export function timedCopy(app: { routes: readonly unknown[] }): { app: Hono; times: SelfTimes } {
  const times: SelfTimes = new Map();
  // biome-ignore lint/suspicious/noExplicitAny: the copy takes every route of an app of any Env.
  const copy = new Hono<any>();
  const seen = new Map<string, number>();
  for (const route of app.routes as RouteEntry[]) {
    const base = `${route.handler.name || "anonymous"}${route.method === "ALL" ? "" : ` (${route.method} ${route.path})`}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const label = count > 1 ? `${base} #${count}` : base;
    const handler = route.handler as MiddlewareHandler;
    copy.on(route.method, route.path, async (c, next) => {
      const started = performance.now();
      let inner = 0;
      try {
        return await handler(c, async () => {
          const entered = performance.now();
          try {
            await next();
          } finally {
            inner += performance.now() - entered;
          }
        });
      } finally {
        times.set(label, (times.get(label) ?? 0) + (performance.now() - started - inner) * 1000);
      }
    });
  }
  // Hono keeps the app's error handler private; the copy needs it to answer thrown AppErrors.
  const { errorHandler } = app as unknown as { errorHandler: Parameters<Hono["onError"]>[0] };
  copy.onError(errorHandler);
  return { app: copy, times };
}
