/** @jsxImportSource hono/jsx */
import type { SearchHit, SearchKind } from "../../../../server/work/search/service.ts";
import { groupHits, kindLabels, SearchHitItem } from "../../../partials/work/search/search-hit.tsx";

export type SearchPageProps = {
  q: string;
  /** The kind filter, or "" for every kind. */
  kind: SearchKind | "";
  /** The kinds this person may search (customers and invoices need invoices.manage). */
  kinds: SearchKind[];
  hits: SearchHit[];
  /** False when the text holds no word to search for (empty, or only symbols). */
  searchable: boolean;
  /** The result list was cut at this many hits. */
  limit: number;
};

/** /search: the whole page; typing re-renders #search-results through htmx. */
export function SearchPage(props: SearchPageProps) {
  return (
    <article class="search-page">
      <header>
        <h1>Search</h1>
        <p>
          Projects, tasks, equipment{props.kinds.includes("invoice") ? ", customers and invoices" : ""}: every word must
          match; accents and case do not matter.
        </p>
      </header>
      <search>
        <form
          method="get"
          action="/search"
          class="search-form"
          hx-get="/search"
          hx-trigger="input changed delay:300ms, change target:select, submit"
          hx-target="#search-results"
          hx-select="#search-results"
          hx-swap="outerHTML"
          hx-sync="this:replace"
          hx-push-url="true"
        >
          {/* biome-ignore lint/a11y/noRedundantRoles: Pico joins the controls of a [role=group] into one bar. */}
          <fieldset role="group">
            <input
              type="search"
              name="q"
              value={props.q}
              placeholder="Boiler, INV-0042, Müller…"
              aria-label="Search for"
              autocomplete="off"
              autofocus
            />
            <select name="kind" aria-label="Kind">
              <option value="">Everything</option>
              {props.kinds.map((kind) => (
                <option value={kind} selected={props.kind === kind}>
                  {kindLabels[kind].many}
                </option>
              ))}
            </select>
            <button type="submit">Search</button>
          </fieldset>
        </form>
      </search>
      <SearchResults {...props} />
    </article>
  );
}

function SearchResults(props: SearchPageProps) {
  if (!props.searchable) {
    return (
      <section id="search-results" aria-live="polite" class="empty-state">
        <p>
          Type a word or the start of one: a project code, a task title, a serial number
          {props.kinds.includes("invoice") ? ", an invoice number or a customer's name" : ""}. Press <kbd>/</kbd>{" "}
          anywhere to jump to the search box.
        </p>
      </section>
    );
  }
  if (props.hits.length === 0) {
    return (
      <section id="search-results" aria-live="polite" class="empty-state">
        <p>
          Nothing matches “{props.q}”{props.kind ? ` in ${kindLabels[props.kind].many.toLowerCase()}` : ""}. Try fewer
          words, a shorter start of a word{props.kind ? ", or every kind" : ""}.
        </p>
      </section>
    );
  }
  const groups = groupHits(props.hits);
  return (
    <section id="search-results" aria-live="polite">
      <p class="search-count">
        {props.hits.length >= props.limit
          ? `The best ${props.limit} matches for “${props.q}”.`
          : `${props.hits.length} ${props.hits.length === 1 ? "match" : "matches"} for “${props.q}”.`}
      </p>
      {groups.map((group) => (
        <section class="search-group" aria-labelledby={`search-group-${group.kind}`}>
          <h2 id={`search-group-${group.kind}`}>
            {kindLabels[group.kind].many} <small>({group.hits.length})</small>
          </h2>
          <ul class="search-hits">
            {group.hits.map((hit) => (
              <SearchHitItem hit={hit} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
