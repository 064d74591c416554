/*
 * Text with the runs that matched a search marked: FTS5 output split on markers made fresh for
 * each query (the workspace search and the document search both use it).
 */

/** A run of text, marked when it matched the query. Views escape it; nothing here is markup. */
export type TextPart = { text: string; match: boolean };

// FTS5 wraps matches in markers made fresh for each query (private-use characters around a
// random nonce): stored text cannot forge them, and snippet()'s output is never used as markup.
export function newMarkers(): Markers {
  const nonce = crypto.randomUUID().slice(0, 8);
  return { open: `\uE000${nonce}\uE001`, close: `\uE001${nonce}\uE000` };
}
export type Markers = { open: string; close: string };

/** Plain text of marked parts, for the API. */
export function plainText(parts: readonly TextPart[]): string {
  return parts.map((part) => part.text).join("");
}

/** Splits FTS5 output on this query's markers into plain and matched runs. */
export function markedParts(marked: string, markers: Markers): TextPart[] {
  const parts: TextPart[] = [];
  let rest = marked;
  let match = false;
  while (rest) {
    const end = rest.indexOf(match ? markers.close : markers.open);
    const text = end < 0 ? rest : rest.slice(0, end);
    if (text) parts.push({ text, match });
    if (end < 0) break;
    rest = rest.slice(end + (match ? markers.close : markers.open).length);
    match = !match;
  }
  return merge(parts);
}

function merge(parts: TextPart[]): TextPart[] {
  const merged: TextPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last && last.match === part.match) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}
