/** @jsxImportSource hono/jsx */

import type { DocumentHit, DocumentSearchResult } from "../../../server/knowledge/search/search.ts";
import type { DocumentFilterOptions } from "../../../server/knowledge/search/search-options.ts";
import { Highlighted } from "../work/search/search-hit.tsx";

export type DocumentFilterValues = { category: string; tag: string; equipmentId: string; projectId: string };

/** A document hit as the page shows it: the link is made by the route (views never build hrefs from services). */
export type DocumentHitView = DocumentHit & { href: string };

/** When some or all documents were ranked by keywords alone, the page says so and why. */
export function SearchModeNote(props: { result: Pick<DocumentSearchResult, "mode" | "reason"> }) {
  if (!props.result.reason) return null;
  return (
    <p class="search-mode-note" role="note">
      {props.result.mode === "keyword" ? <strong>Keyword ranking only. </strong> : null}
      {props.result.reason}
    </p>
  );
}

/** The documents' passages: title linking to the document at that page, page, heading, snippet and score. */
export function DocumentHits(props: { hits: DocumentHitView[] }) {
  return (
    <ul class="search-hits document-hits">
      {props.hits.map((hit) => (
        <li class="search-hit document-hit" data-kind="document">
          <a href={hit.href}>
            <span class="search-title">{hit.title || "(untitled)"}</span>
            <span class="document-hit-page">page {hit.page}</span>
          </a>
          {hit.heading ? <small class="document-hit-heading">{hit.heading}</small> : null}
          {hit.snippetParts.length > 0 ? (
            <small class="search-snippet">
              <Highlighted parts={hit.snippetParts} />
            </small>
          ) : null}
          {hit.keywordRank === null ? (
            // The vector side always answers its nearest passages, however far: say why this one is here.
            <small class="document-hit-meaning">None of the words; close in meaning</small>
          ) : null}
          <small class="document-hit-score" title={scoreTitle(hit)}>
            score {hit.score.toFixed(4)}
          </small>
        </li>
      ))}
    </ul>
  );
}

function scoreTitle(hit: DocumentHit): string {
  const sides = [
    hit.keywordRank === null ? null : `keyword rank ${hit.keywordRank}`,
    hit.vectorRank === null ? null : `vector rank ${hit.vectorRank}`,
    hit.similarity === null ? null : `similarity ${hit.similarity.toFixed(2)}`,
  ].filter(Boolean);
  return `Reciprocal rank fusion: ${sides.join(", ")}`;
}

/** Category, tag, equipment and project: narrow the documents part; offered only where documents use them. */
export function DocumentFilterFields(props: { values: DocumentFilterValues; options: DocumentFilterOptions }) {
  const { values, options } = props;
  const open = Boolean(values.category || values.tag || values.equipmentId || values.projectId);
  return (
    <details class="document-filters" open={open}>
      <summary>Document filters</summary>
      <div class="document-filter-grid">
        <label>
          Category
          <input type="text" name="category" value={values.category} list="document-categories" autocomplete="off" />
          <datalist id="document-categories">
            {options.categories.map((category) => (
              <option value={category} />
            ))}
          </datalist>
        </label>
        <label>
          Tag
          <input type="text" name="tag" value={values.tag} list="document-tags" autocomplete="off" />
          <datalist id="document-tags">
            {options.tags.map((tag) => (
              <option value={tag} />
            ))}
          </datalist>
        </label>
        <label>
          Equipment
          <select name="equipmentId">
            <option value="">Any</option>
            {options.equipment.map((item) => (
              <option value={item.id} selected={values.equipmentId === item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Project
          <select name="projectId">
            <option value="">Any</option>
            {options.projects.map((item) => (
              <option value={item.id} selected={values.projectId === item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
      </div>
    </details>
  );
}
