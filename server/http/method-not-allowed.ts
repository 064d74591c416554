import type { Context, NotFoundHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "./env.ts";
import { AppError } from "./errors.ts";

/** The order an `Allow` header lists methods in. */
const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

type Route = { method: string; path: string };

/**
 * Which methods have a route for a path, read from the app's own route table (`app.routes`),
 * so it can never disagree with the routing. HEAD goes wherever GET does (Hono answers HEAD with
 * the GET route), and OPTIONS everywhere a route exists.
 */
export function allowedMethodsIndex(routes: readonly Route[]): (path: string) => string[] {
  const router = new TrieRouter<string>();
  const seen = new Set<string>();
  for (const { method, path } of routes) {
    // "ALL" entries are middleware (app.use): they run for any method and answer none.
    if (method === "ALL" || seen.has(`${method} ${path}`)) continue;
    seen.add(`${method} ${path}`);
    // Stored under "ALL" so that one lookup returns the methods of every route the path matches.
    router.add("ALL", path, method);
  }
  return (path) => {
    const methods = new Set(router.match("GET", path)[0].map(([method]) => method));
    if (methods.size === 0) return [];
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return METHOD_ORDER.filter((method) => methods.has(method)).concat(
      [...methods].filter((method) => !METHOD_ORDER.includes(method)).sort(),
    );
  };
}

/**
 * The app's answer when no route matched: a path that exists under other methods answers
 * OPTIONS with 204 and anything else with 405 and `Allow` (RFC 9110); only a path that exists
 * under no method falls through to `notFound`, a 404.
 */
export function methodNotAllowed(
  app: { routes: readonly Route[] },
  answers: {
    notFound: NotFoundHandler<AppEnv>;
    /** The app's error answer (JSON for the API, a page for the console). */
    errorResponse: (c: Context<AppEnv>, error: AppError) => Response | Promise<Response>;
  },
): NotFoundHandler<AppEnv> {
  const { notFound, errorResponse } = answers;
  // Built on first use: by then every route (those a test's `extend` adds too) is registered.
  let allowedMethods: ((path: string) => string[]) | undefined;
  return (c) => {
    allowedMethods ??= allowedMethodsIndex(app.routes);
    const allowed = allowedMethods(c.req.path);
    const allow = allowed.join(", ");
    if (allowed.length > 0 && c.req.method === "OPTIONS") {
      c.header("Allow", allow);
      return c.body(null, 204);
    }
    // No route at all, or one for this very method whose handler chose not to answer: a 404.
    if (allowed.length === 0 || allowed.includes(c.req.method)) return notFound(c);
    const message = `${c.req.method} is not allowed on ${c.req.path}; use ${allow}.`;
    return errorResponse(c, new AppError("method_not_allowed", message, [], { Allow: allow }));
  };
}
