import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * Markup that depends only on a few known values (the navigation, the header search box, the
 * static head of every page), rendered by hono/jsx once per key and reused as text. hono/jsx
 * spends several microseconds per element; the layout alone has about a hundred, on every
 * page. Keys must come from a small fixed set (never from user input): the cache is not
 * bounded by use, only by `MAX_ENTRIES` as a safety net.
 */
const rendered = new Map<string, HtmlEscapedString>();
const MAX_ENTRIES = 1_000;

export function renderedOnce(key: string, render: () => Child): HtmlEscapedString {
  const hit = rendered.get(key);
  if (hit) return hit;
  const node = render();
  const text = node === null || node === undefined ? "" : (node as { toString: () => unknown }).toString();
  if (typeof text !== "string") throw new Error(`renderedOnce(${key}): an async component cannot be cached`);
  const html = raw(text);
  if (rendered.size < MAX_ENTRIES) rendered.set(key, html);
  return html;
}
