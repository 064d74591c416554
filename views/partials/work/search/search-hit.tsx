/** @jsxImportSource hono/jsx */

import type { TextPart } from "../../../../server/tools/marked-text.ts";
import type { SearchHit, SearchKind } from "../../../../server/work/search/service.ts";

export const kindLabels: Record<SearchKind, { one: string; many: string }> = {
  project: { one: "Project", many: "Projects" },
  task: { one: "Task", many: "Tasks" },
  customer: { one: "Customer", many: "Customers" },
  invoice: { one: "Invoice", many: "Invoices" },
  equipment: { one: "Equipment", many: "Equipment" },
};

/** Text with its matched words in <mark>: every part is text, escaped by JSX, never markup. */
export function Highlighted(props: { parts: TextPart[] }) {
  return <>{props.parts.map((part) => (part.match ? <mark>{part.text}</mark> : part.text))}</>;
}

/** One result: its title as a link to the item's page, then the matching passage. */
export function SearchHitItem(props: { hit: SearchHit; showKind?: boolean }) {
  const { hit } = props;
  const hasTitle = hit.title.some((part) => part.text.trim() !== "");
  return (
    <li class="search-hit" data-kind={hit.kind}>
      <a href={hit.url}>
        {props.showKind ? <span class="search-kind">{kindLabels[hit.kind].one}</span> : null}
        <span class="search-title">{hasTitle ? <Highlighted parts={hit.title} /> : "(untitled)"}</span>
      </a>
      {hit.snippet.length > 0 ? (
        <small class="search-snippet">
          <Highlighted parts={hit.snippet} />
        </small>
      ) : null}
    </li>
  );
}

/** Hits grouped by kind, the groups in the order of their best hit. */
export function groupHits(hits: SearchHit[]): { kind: SearchKind; hits: SearchHit[] }[] {
  const groups = new Map<SearchKind, SearchHit[]>();
  for (const hit of hits) {
    const group = groups.get(hit.kind);
    if (group) group.push(hit);
    else groups.set(hit.kind, [hit]);
  }
  return [...groups].map(([kind, grouped]) => ({ kind, hits: grouped }));
}
