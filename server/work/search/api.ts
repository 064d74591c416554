import { Hono } from "hono";
import { requirePermission, serviceContext } from "../../auth/guard.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { validate } from "../../http/validate.ts";
import { searchQuery, searchResponseJson } from "./schemas.ts";
import { plainText, searchWorkspace } from "./service.ts";

/** GET /search: one ranked list over projects, tasks, equipment and (for invoices.manage) customers and invoices. */
export const searchApi = new Hono<AppEnv>().get(
  "/search",
  apiDoc({
    summary: "Search the workspace",
    description:
      "Full-text search (FTS5, BM25 with titles weighted) over projects, tasks and equipment, plus customers and invoices for people with invoices.manage. `q` is plain text: every word is matched, the last one as a prefix; accents are ignored. Best match first; no cursor.",
    tags: ["Search"],
    responses: { 200: { description: "The best matches", schema: searchResponseJson } },
  }),
  requirePermission("workspace.read"),
  validate("query", searchQuery),
  (c) => {
    const hits = searchWorkspace(serviceContext(c), c.req.valid("query"));
    return c.json({
      data: hits.map((hit) => ({
        kind: hit.kind,
        id: hit.id,
        title: plainText(hit.title),
        snippet: plainText(hit.snippet),
        url: hit.url,
      })),
    });
  },
);
