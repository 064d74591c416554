import { type Block, type Extraction, pagesOf } from "./types.ts";

/** Plain text: paragraphs by blank lines; a form feed (\f) starts a new page, as printers do. */
export function extractPlainText(text: string): Extraction {
  const pageTexts = text.replace(/^\uFEFF/, "").split("\f");
  const blocks: Block[] = [];
  for (const [index, pageText] of pageTexts.entries()) {
    for (const paragraph of paragraphsOf(pageText)) blocks.push({ page: index + 1, heading: "", text: paragraph });
  }
  return {
    pageCount: pageTexts.length,
    blocks,
    pages: pagesOf(blocks, pageTexts.length),
    attachments: [],
    needsOcr: null,
  };
}

/** Non-empty paragraphs (split at blank lines), each with its lines trimmed. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) =>
      paragraph
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .join("\n"),
    )
    .filter((paragraph) => paragraph !== "");
}
