import type { MarkdownIt, default as MarkdownItConstructor } from "markdown-it";

/**
 * Markdown written by people (task descriptions, comments, broadcasts), rendered for the console and
 * e-mail. Raw HTML is off (it is
 * shown as text), and only http(s), mailto and same-site links survive: `javascript:`,
 * `data:` and friends are dropped by the link check, so the output is safe to embed as is.
 */

const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

/** Whether a link target is http(s), mailto or same-site (shared with the assistant's answers). */
export function isSafeLink(url: string): boolean {
  // Control characters and spaces can hide a scheme from a naive check ("java\tscript:").
  const compact = url.replace(/[\s\p{Cc}]+/gu, "");
  return SAFE_LINK.test(compact);
}

/**
 * markdown-it, loaded on the first page that renders Markdown rather than at start: with the
 * `entities` tables it pulls in it costs about 4–5 MB of resident memory (bench/RESULTS.md,
 * 2026-12-07). Synchronous, since views render synchronously.
 */
export function loadMarkdownIt(): typeof MarkdownItConstructor {
  return require("markdown-it") as typeof MarkdownItConstructor;
}

let markdown: MarkdownIt | null = null;

function taskMarkdown(): MarkdownIt {
  if (markdown) return markdown;
  const created = new (loadMarkdownIt())({ html: false, linkify: true, breaks: true, typographer: false });
  created.validateLink = isSafeLink;
  const defaultLinkOpen =
    created.renderer.rules.link_open ??
    ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  created.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const href = String(token?.attrGet("href") ?? "");
    // Links that leave the box: no referrer, no window.opener, no ranking credit.
    if (token && /^https?:/i.test(href)) token.attrSet("rel", "noopener noreferrer nofollow");
    return defaultLinkOpen(tokens, index, options, env, self);
  };
  markdown = created;
  return created;
}

/** Safe HTML of a Markdown text (a task's description, a comment, a broadcast). */
export function renderMarkdown(text: string): string {
  return text.trim() === "" ? "" : taskMarkdown().render(text);
}
