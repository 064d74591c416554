/**
 * Where a document and one of its pages live in the console. The search page and the
 * assistant's citations link with documentPageHref: `/documents/{id}/pages/{n}#page-{n}` opens
 * the document's text at page n (the anchor `page-n` marks the page on the document page too).
 */
export function documentHref(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}

export function documentPageHref(id: string, page: number): string {
  const n = Number.isInteger(page) && page >= 1 ? page : 1;
  return `${documentHref(id)}/pages/${n}#page-${n}`;
}

/** The stored bytes, as a download (served as an attachment). */
export function documentFileHref(id: string): string {
  return `/api/v1/documents/${encodeURIComponent(id)}/file`;
}
