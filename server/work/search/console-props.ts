import type { SearchPageProps } from "../../../views/pages/work/search/search-page.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { documentFilterOptions } from "../../knowledge/search/search-options.ts";
import type { searchDocumentSection } from "../../knowledge/search/search-section.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import { searchWords } from "./query.ts";

/** Workspace results shown on /search at most. */
export const PAGE_LIMIT = 100;

/** The search page: workspace hits, and the documents' passages (linked to their pages) when documents were searched. */
export function searchPageProps(
  ctx: ServiceContext,
  found: Pick<SearchPageProps, "q" | "kind" | "kinds" | "hits" | "documentFilters"> & {
    searched: Awaited<ReturnType<typeof searchDocumentSection>> | null;
  },
): SearchPageProps {
  const { q, kind, kinds, hits, searched, documentFilters } = found;
  const documents = searched && {
    mode: searched.mode,
    reason: searched.reason,
    hits: searched.hits.map((hit) => ({ ...hit, href: documentPageHref(hit.documentId, hit.page) })),
  };
  return {
    q,
    kind,
    kinds,
    hits,
    searchable: searchWords(q).length > 0,
    limit: PAGE_LIMIT,
    documents,
    documentFilters,
    documentOptions: documentFilterOptions(ctx.db, ctx.orgId),
  };
}
