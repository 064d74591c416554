import { decodeHTML } from "entities";
import { paragraphsOf } from "./text.ts";
import { type Block, type Extraction, singlePage } from "./types.ts";

const hidden = /<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi;
const blockTags =
  /<\/?(p|div|section|article|header|footer|main|aside|nav|ul|ol|li|table|thead|tbody|tr|blockquote|pre|dl|dt|dd|figure|figcaption|form|fieldset|address|hr)\b[^>]*>/gi;

/**
 * HTML to text for indexing: scripts, styles and the head are dropped, block elements become
 * line breaks, h1–h6 become the headings of what follows, entities are decoded. Nothing here
 * is ever rendered as HTML again (the console escapes it), so a tag soup only costs wording.
 */
export function extractHtml(html: string): Extraction {
  const title = decodeHTML(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "").trim();
  const body = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(hidden, " ")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/?(td|th)\b[^>]*>/gi, " ")
    .replace(blockTags, "\n\n");
  const blocks: Block[] = [];
  let heading = title;
  const parts = body.split(/<h[1-6]\b[^>]*>([\s\S]*?)<\/h[1-6]\s*>/i);
  for (const [index, part] of parts.entries()) {
    const text = textOf(part);
    // split() with a capture group alternates: text, heading, text, heading, …
    if (index % 2 === 1) heading = text.replace(/\s+/g, " ").trim();
    else for (const paragraph of paragraphsOf(text)) blocks.push({ page: 1, heading, text: paragraph });
  }
  return singlePage(blocks);
}

function textOf(fragment: string): string {
  return decodeHTML(fragment.replace(/<[^>]*>/g, ""))
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n");
}
