import type { MiddlewareHandler } from "hono";
import type { ZodType } from "zod";

/**
 * What the OpenAPI generator (server/http/openapi.ts) learns from a route's middleware:
 * `validate()` marks its schema, `requirePermission()` its permission, `apiDoc()` the rest.
 * The document is therefore built from the very schemas that validate requests.
 */
export type RouteDoc = {
  summary?: string;
  description?: string;
  tags?: string[];
  /** The answer's schema by status, e.g. `{ 201: taskJsonSchema }`; other statuses are the error shape. */
  responses?: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  validation?: { target: string; schema: ZodType };
  permission?: string;
};

export const routeDocKey = Symbol.for("opsbox.routeDoc");

export type DocumentedMiddleware = MiddlewareHandler & { [routeDocKey]?: RouteDoc };

/** Attaches documentation to a middleware function and returns it. */
export function documented<M extends MiddlewareHandler>(middleware: M, doc: RouteDoc): M {
  (middleware as DocumentedMiddleware)[routeDocKey] = doc;
  return middleware;
}

/** A pass-through middleware that only documents its route: `apiDoc({ summary: "List tasks", tags: ["Tasks"] })`. */
export function apiDoc(doc: Omit<RouteDoc, "validation" | "permission">): MiddlewareHandler {
  return documented(async function apiDoc(_c, next) {
    await next();
  }, doc);
}

export function routeDocOf(handler: unknown): RouteDoc | undefined {
  return typeof handler === "function" ? (handler as DocumentedMiddleware)[routeDocKey] : undefined;
}
