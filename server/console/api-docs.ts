import { type Context, Hono } from "hono";
import pkg from "../../package.json" with { type: "json" };
import { ApiDocsPage } from "../../views/pages/api-docs.tsx";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { etagMatches } from "../http/etag.ts";
import { openApiDocumentFor } from "../http/openapi.ts";
import { apiReferenceOf } from "../http/openapi-reference.ts";
import { renderPage } from "./render.tsx";

const DOCUMENT_PATH = "/api/v1/openapi.json";

function documentOf(c: Context<AppEnv>) {
  const built = openApiDocumentFor(c.var.deps);
  if (!built) throw new AppError("unavailable", "The API description is not ready.");
  return built;
}

/** /api/v1/openapi.json and the reference page /api/docs: both public, both from the same document. */
export const openApiRoutes = new Hono<AppEnv>()
  .get(
    DOCUMENT_PATH,
    apiDoc({
      summary: "The OpenAPI 3.1 document of this API",
      description: "Generated from the routes and the schemas that validate them. Cache it with `If-None-Match`.",
      tags: ["Meta"],
      responses: { 200: { description: "The document.", contentType: "application/json" } },
    }),
    (c) => {
      const { json, etag } = documentOf(c);
      c.header("ETag", etag);
      c.header("Cache-Control", "no-cache");
      if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
      return c.body(json, 200, { "Content-Type": "application/json; charset=utf-8" });
    },
  )
  .get("/api/docs", (c) => {
    const { document } = documentOf(c);
    const page = ApiDocsPage({
      groups: apiReferenceOf(document),
      version: pkg.version,
      baseUrl: c.var.deps.config.baseUrl,
      documentUrl: DOCUMENT_PATH,
    });
    // Signed-out readers get the page without the console's navigation.
    return renderPage(c, { title: "API reference", current: "/api/docs", bare: !c.var.auth }, page);
  });
