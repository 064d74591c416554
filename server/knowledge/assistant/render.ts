import type { MarkdownIt } from "markdown-it";
import type { Citation } from "../../../models/knowledge.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import { escapeHtml } from "../../tools/html.ts";
import { isSafeLink, loadMarkdownIt } from "../../tools/markdown.ts";

/**
 * The assistant's answers as HTML. An answer is written by a model that read untrusted
 * documents, so it is rendered more strictly than a task description: raw HTML is text, there
 * are no images (an image URL would be fetched by the browser without a click: a way to send
 * data out) and only same-site links survive; anything else stays visible as plain text.
 */
let markdown: MarkdownIt | null = null;

/** Made on the first answer rendered, not at start (markdown-it: see loadMarkdownIt). */
function answerMarkdown(): MarkdownIt {
  if (markdown) return markdown;
  const created = new (loadMarkdownIt())({ html: false, linkify: false, breaks: true, typographer: false });
  created.disable(["image"]);
  created.validateLink = (url: string): boolean => {
    const compact = url.replace(/[\s\p{Cc}]+/gu, "");
    return isSafeLink(url) && /^(\/(?!\/)|#)/.test(compact);
  };
  markdown = created;
  return created;
}

/* Citations survive Markdown as private-use markers and become links afterwards, so the link HTML is ours alone. */
const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARKERS = /[\uE000\uE001]/g;
const CITED = /\[(\d{1,3})\](?!\()/g;
const PLACED = /\uE000(\d{1,3})\uE001/g;

/** Safe HTML of a message: sanitised Markdown, with `[n]` of a known citation as a numbered link to its page. */
export function renderAnswerHtml(text: string, citations: readonly Citation[]): string {
  if (text.trim() === "") return "";
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));
  const marked = text
    .replace(MARKERS, "")
    .replace(CITED, (whole, n: string) => (byNumber.has(Number(n)) ? `${OPEN}${n}${CLOSE}` : whole));
  const html = answerMarkdown().render(marked);
  return html.replace(PLACED, (_whole, n: string) => {
    const citation = byNumber.get(Number(n));
    return citation ? citationLink(citation) : `[${n}]`;
  });
}

function citationLink(citation: Citation): string {
  const href = escapeHtml(documentPageHref(citation.documentId, citation.page));
  const title = escapeHtml(`${citation.title}, page ${citation.page}`);
  return `<a class="citation" href="${href}" title="${title}">[${citation.n}]</a>`;
}
