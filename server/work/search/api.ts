import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { documentSectionToJson, searchDocumentSection } from "../../knowledge/search/search-section.ts";
import { plainText } from "../../tools/marked-text.ts";
import { searchQuery, searchResponseJson } from "./schemas.ts";
import { type SearchKind, searchWorkspace } from "./service.ts";

/**
 * GET /search: one ranked list over projects, tasks, equipment and (for invoices.manage)
 * customers and invoices, and the documents' passages in a section of their own (their
 * scores are not comparable with the workspace's).
 */
export const searchApi = new Hono<AppEnv>().get(
  "/",
  apiDoc({
    summary: "Search the workspace",
    description:
      "Full-text search (FTS5, BM25 with titles weighted) over projects, tasks and equipment, plus customers and invoices for people with invoices.manage. `q` is plain text: every word is matched, the last one as a prefix; accents are ignored. Best match first; no cursor. `documents` holds passages of the organisation's documents: keyword (BM25) and vector results fused by reciprocal rank fusion, any word matching, filtered by category, tag, equipmentId and projectId, each with its document, page, snippet, score and console url; without an embedding model `mode` is keyword and `reason` says why. At most 50 passages.",
    tags: ["Search"],
    responses: { 200: { description: "The best matches", schema: searchResponseJson } },
  }),
  requirePermission("workspace.read"),
  validate("query", searchQuery),
  async (c) => {
    const ctx = serviceContext(c);
    const query = c.req.valid("query");
    const workspaceKinds = query.kinds?.filter((kind): kind is SearchKind => kind !== "document");
    const hits =
      workspaceKinds && workspaceKinds.length === 0 ? [] : searchWorkspace(ctx, { ...query, kinds: workspaceKinds });
    const data = hits.map((hit) => ({
      kind: hit.kind,
      id: hit.id,
      title: plainText(hit.title),
      snippet: plainText(hit.snippet),
      url: hit.url,
    }));
    if (!query.q.trim() || (query.kinds && !query.kinds.includes("document"))) return c.json({ data });
    const documents = await searchDocumentSection(ctx, c.var.deps.ai, query, c.req.raw.signal);
    return c.json({ data, documents: documentSectionToJson(documents) });
  },
);
