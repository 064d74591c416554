import { sql } from "drizzle-orm";
import type { Permission } from "../../auth/roles/permissions.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { markedParts, newMarkers, type TextPart } from "../../tools/marked-text.ts";
import { toFtsQuery } from "./query.ts";

export const searchKinds = ["project", "task", "customer", "invoice", "equipment"] as const;
export type SearchKind = (typeof searchKinds)[number];

/** What each kind needs beyond signing in: customers and invoices are money, the rest is the workspace. */
const kindPermission: Record<SearchKind, Permission> = {
  project: "workspace.read",
  task: "workspace.read",
  equipment: "workspace.read",
  customer: "invoices.manage",
  invoice: "invoices.manage",
};

export type SearchHit = {
  kind: SearchKind;
  id: string;
  title: TextPart[];
  snippet: TextPart[];
  url: string;
};

export type SearchInput = { q: string; kinds?: SearchKind[]; limit: number };

// Titles count ten times the body: "Boiler" in a name beats "boiler" in a long description.
const TITLE_WEIGHT = 10;
const SNIPPET_TOKENS = 16;

/** The kinds this person may find: customers and invoices only with invoices.manage. */
export function searchableKinds(permissions: ReadonlySet<Permission>, wanted?: readonly SearchKind[]): SearchKind[] {
  const kinds = wanted && wanted.length > 0 ? wanted : searchKinds;
  return searchKinds.filter((kind) => kinds.includes(kind) && permissions.has(kindPermission[kind]));
}

/**
 * Searches projects, tasks, customers, invoices and equipment of the caller's organisation,
 * best first (BM25, titles weighted). The organisation and kind filters sit in the same WHERE
 * as the match, so the limit counts only rows the caller may see.
 */
export function searchWorkspace(ctx: ServiceContext, input: SearchInput): SearchHit[] {
  const match = toFtsQuery(input.q);
  const kinds = searchableKinds(ctx.permissions, input.kinds);
  if (match === null || kinds.length === 0) return [];
  const markers = newMarkers();
  const rows = ctx.db.all<{ kind: SearchKind; id: string; title: string; snippet: string }>(sql`
    SELECT d.kind AS kind, d.ref_id AS id,
      highlight(search_index, 0, ${markers.open}, ${markers.close}) AS title,
      snippet(search_index, 1, ${markers.open}, ${markers.close}, '…', ${SNIPPET_TOKENS}) AS snippet
    FROM search_index
    JOIN search_docs d ON d.rowid = search_index.rowid
    WHERE search_index MATCH ${match}
      AND d.org_id = ${ctx.orgId}
      AND d.kind IN (${sql.join(
        kinds.map((kind) => sql`${kind}`),
        sql`, `,
      )})
    ORDER BY bm25(search_index, ${TITLE_WEIGHT}, 1.0), d.rowid
    LIMIT ${input.limit}
  `);
  return rows.map((row) => ({
    kind: row.kind,
    id: row.id,
    title: markedParts(row.title ?? "", markers),
    snippet: markedParts(tidyBody(row.kind, row.snippet ?? ""), markers),
    url: searchHitUrl(row.kind, row.id),
  }));
}

/** The console page of a hit. */
export function searchHitUrl(kind: SearchKind, id: string): string {
  const path = encodeURIComponent(id);
  switch (kind) {
    case "project":
      return `/projects/${path}`;
    case "task":
      return `/tasks/${path}`;
    case "customer":
      return `/customers/${path}/edit`;
    case "invoice":
      return `/invoices/${path}`;
    case "equipment":
      return `/equipment/${path}`;
  }
}

// A task's body is its description then its labels as JSON (see migrations/0003_search.sql):
// show the labels as words, not as `["a","b"]`.
function tidyBody(kind: SearchKind, snippet: string): string {
  if (kind !== "task") return snippet;
  return snippet
    .replace(/\[("(?:[^"\\]|\\.)*"(?:,"(?:[^"\\]|\\.)*")*)?\]\s*$/u, (json) => labelsText(json))
    .replace(/\s*\[\]\s*$/u, "")
    .trim();
}

function labelsText(json: string): string {
  try {
    const labels: unknown = JSON.parse(json.trim());
    return Array.isArray(labels) ? labels.map(String).join(", ") : json;
  } catch {
    return json;
  }
}
