/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { SearchPage } from "../../../views/pages/work/search/search-page.tsx";
import { SearchSuggestions } from "../../../views/partials/work/search/search-suggestions.tsx";
import { renderPage } from "../../console/render.tsx";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { searchDocumentSection } from "../../knowledge/search/search-section.ts";
import { PAGE_LIMIT, searchPageProps } from "./console-props.ts";
import { searchWords } from "./query.ts";
import { searchableKinds, searchWorkspace } from "./service.ts";

const DOCUMENT_LIMIT = 20;
const SUGGESTION_LIMIT = 8;

/**
 * /search (workspace results grouped by kind, then the documents' passages with their filters)
 * and /search/suggest (the header box's live results, workspace only).
 */
export const searchConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), async (c) => {
    const ctx = serviceContext(c);
    // `query` is what the header box sends (see views/partials/work/search/header-search.tsx).
    const q = textParam(c.req.query("q") ?? c.req.query("query"));
    const kinds = searchableKinds(ctx.permissions);
    const wanted = c.req.query("kind");
    const kind = wanted === "document" ? "document" : (kinds.find((known) => known === wanted) ?? "");
    const hits =
      kind === "document" ? [] : searchWorkspace(ctx, { q, kinds: kind ? [kind] : undefined, limit: PAGE_LIMIT });
    const documentFilters = {
      category: filterParam(c.req.query("category")),
      tag: filterParam(c.req.query("tag")),
      equipmentId: filterParam(c.req.query("equipmentId")),
      projectId: filterParam(c.req.query("projectId")),
    };
    const searched =
      (kind === "" || kind === "document") && q
        ? await searchDocumentSection(
            ctx,
            c.var.deps.ai,
            { q, limit: DOCUMENT_LIMIT, ...documentFilters },
            c.req.raw.signal,
          )
        : null;
    return renderPage(
      c,
      { title: q ? `Search: ${q}` : "Search", current: "/search" },
      <SearchPage {...searchPageProps(ctx, { q, kind, kinds, hits, searched, documentFilters })} />,
    );
  })
  .get("/suggest", requirePermission("workspace.read"), (c) => {
    const q = textParam(c.req.query("query") ?? c.req.query("q"));
    const hits = searchWorkspace(serviceContext(c), { q, limit: SUGGESTION_LIMIT });
    return c.html(<SearchSuggestions q={q} hits={hits} searchable={searchWords(q).length > 0} />);
  });

// The console never answers 422 for a search: over-long text is cut, like the API's 500 limit.
function textParam(value: string | undefined): string {
  return (value ?? "").slice(0, 500).trim();
}

function filterParam(value: string | undefined): string {
  return (value ?? "").slice(0, 100).trim();
}
