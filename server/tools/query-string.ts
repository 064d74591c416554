/** Links that keep a page's filters. Pure: imports nothing. */

/** A query string of the non-empty values, with a leading "?" (or "" when there are none): `?a=1` for { a: "1", b: "" }. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
