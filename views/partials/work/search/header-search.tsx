/** @jsxImportSource hono/jsx */

/**
 * The header's search box (a <search> landmark: Pico's [role=search] pill styles do not fit a
 * box with a results panel): a plain GET form to /search (Enter goes there, also without
 * script); with htmx, typing fills the panel under it with the best few hits. "/" focuses it
 * and the arrow keys walk the hits (static/search.js). The field is `query`, not `q`, so that
 * the list pages' own `q` filter fields stay the only `input[name=q]` on their pages.
 */
export function HeaderSearch() {
  return (
    <search class="header-search">
      <form method="get" action="/search">
        <input
          type="search"
          name="query"
          id="global-search"
          placeholder="Search…"
          aria-label="Search the workspace"
          aria-keyshortcuts="/"
          aria-controls="global-search-results"
          title="Search (press /)"
          autocomplete="off"
          maxlength={500}
          hx-get="/search/suggest"
          hx-trigger="input changed delay:250ms"
          hx-target="#global-search-results"
          hx-swap="innerHTML"
          hx-sync="this:replace"
        />
        <div id="global-search-results" class="header-search-results" aria-live="polite" />
      </form>
    </search>
  );
}
