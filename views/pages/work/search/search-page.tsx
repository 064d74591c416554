/** @jsxImportSource hono/jsx */

import type { DocumentSearchResult } from "../../../../server/knowledge/search/search.ts";
import type { DocumentFilterOptions } from "../../../../server/knowledge/search/search-options.ts";
import type { SearchHit, SearchKind } from "../../../../server/work/search/service.ts";
import {
  DocumentFilterFields,
  type DocumentFilterValues,
  DocumentHits,
  type DocumentHitView,
  SearchModeNote,
} from "../../../partials/knowledge/document-hits.tsx";
import { groupHits, kindLabels, SearchHitItem } from "../../../partials/work/search/search-hit.tsx";

/** The documents part: null when it was not searched (another kind chosen, or nothing to search for). */
export type DocumentResults = Pick<DocumentSearchResult, "mode" | "reason"> & { hits: DocumentHitView[] };

export type SearchPageProps = {
  q: string;
  /** The kind filter ("document" for documents only), or "" for every kind. */
  kind: SearchKind | "document" | "";
  /** The kinds this person may search (customers and invoices need invoices.manage). */
  kinds: SearchKind[];
  hits: SearchHit[];
  /** False when the text holds no word to search for (empty, or only symbols). */
  searchable: boolean;
  /** The result list was cut at this many hits. */
  limit: number;
  documents: DocumentResults | null;
  documentFilters: DocumentFilterValues;
  documentOptions: DocumentFilterOptions;
};

/** /search: the whole page; typing re-renders #search-results through htmx. */
export function SearchPage(props: SearchPageProps) {
  return (
    <article class="search-page">
      <header>
        <h1>Search</h1>
        <p>
          Projects, tasks, equipment{props.kinds.includes("invoice") ? ", customers and invoices" : ""}: every word must
          match; accents and case do not matter. Documents: passages that match any of the words or what they mean.
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
              <option value="document" selected={props.kind === "document"}>
                Documents
              </option>
            </select>
            <button type="submit">Search</button>
          </fieldset>
          <DocumentFilterFields values={props.documentFilters} options={props.documentOptions} />
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
  const documents = props.documents;
  if (props.hits.length === 0 && (documents?.hits.length ?? 0) === 0) {
    const where = props.kind === "document" ? "documents" : props.kind ? kindLabels[props.kind].many.toLowerCase() : "";
    return (
      <section id="search-results" aria-live="polite" class="empty-state">
        <p>
          Nothing matches “{props.q}”{where ? ` in ${where}` : ""}. Try fewer words, a shorter start of a word
          {props.kind ? ", or every kind" : ""}.
        </p>
        {documents ? <SearchModeNote result={documents} /> : null}
      </section>
    );
  }
  const groups = groupHits(props.hits);
  return (
    <section id="search-results" aria-live="polite">
      {props.hits.length > 0 ? (
        <p class="search-count">
          {props.hits.length >= props.limit
            ? `The best ${props.limit} matches for “${props.q}”.`
            : `${props.hits.length} ${props.hits.length === 1 ? "match" : "matches"} for “${props.q}”.`}
        </p>
      ) : null}
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
      {documents && documents.hits.length > 0 ? (
        <section class="search-group search-documents" aria-labelledby="search-group-document">
          <h2 id="search-group-document">
            Documents <small>({documents.hits.length})</small>
          </h2>
          <SearchModeNote result={documents} />
          <DocumentHits hits={documents.hits} />
        </section>
      ) : null}
    </section>
  );
}
