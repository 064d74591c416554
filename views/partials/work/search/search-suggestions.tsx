/** @jsxImportSource hono/jsx */
import type { SearchHit } from "../../../../server/work/search/service.ts";
import { SearchHitItem } from "./search-hit.tsx";

/**
 * The header's live results (htmx swaps this into the panel under the search box): the best
 * few hits and a link to every result. Nothing at all for an empty query, so the panel hides.
 */
export function SearchSuggestions(props: { q: string; hits: SearchHit[]; searchable: boolean }) {
  if (!props.searchable) return null;
  const allHref = `/search?q=${encodeURIComponent(props.q)}`;
  return (
    <div class="search-suggestions">
      {props.hits.length === 0 ? (
        <p class="search-none">Nothing matches “{props.q}”. Try fewer or shorter words.</p>
      ) : (
        <ul class="search-hits">
          {props.hits.map((hit) => (
            <SearchHitItem hit={hit} showKind />
          ))}
        </ul>
      )}
      <a class="search-all" href={allHref}>
        All results for “{props.q}” →
      </a>
    </div>
  );
}
