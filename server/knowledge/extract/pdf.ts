import { type Block, type Extraction, ExtractionError, pagesOf } from "./types.ts";

type Line = { text: string; fontSize: number };

/** A heading is a short line set noticeably larger than the body text. */
const HEADING_SCALE = 1.2;
const HEADING_MAX_WORDS = 14;

export const NO_TEXT_LAYER =
  "This PDF has no text layer (it looks like a scan or a photo), so there is nothing to index. Text recognition (OCR) is not available yet: upload a PDF with selectable text.";

/**
 * Text per page from a PDF's text layer (PDF.js via unpdf: pure JavaScript, no network). Lines
 * are rebuilt from the positioned text items; lines set larger than the body become headings,
 * which carry over to the next pages until another one starts. A PDF with no text at all
 * needs OCR.
 */
export async function extractPdf(bytes: Uint8Array): Promise<Extraction> {
  let items: { str: string; fontSize: number; hasEOL: boolean; y: number }[][];
  let pageCount: number;
  try {
    // unpdf (pdf.js) on the first PDF, not at start.
    const { extractTextItems, getDocumentProxy } = await import("unpdf");
    // PDF.js may detach the buffer it is given: hand it a copy.
    // verbosity 0: PDF.js would otherwise print its repair warnings to the console.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const extracted = await extractTextItems(pdf);
    items = extracted.items;
    pageCount = extracted.totalPages;
    await pdf.destroy();
  } catch (error) {
    throw new ExtractionError(`The PDF could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const pages = items.map(linesOf);
  const bodySize = commonFontSize(pages.flat());
  const blocks: Block[] = [];
  let heading = "";
  for (const [index, lines] of pages.entries()) {
    let buffer: string[] = [];
    const flush = () => {
      if (buffer.length > 0) blocks.push({ page: index + 1, heading, text: buffer.join("\n") });
      buffer = [];
    };
    for (const line of lines) {
      const words = line.text.split(/\s+/).length;
      if (bodySize > 0 && line.fontSize >= bodySize * HEADING_SCALE && words <= HEADING_MAX_WORDS) {
        flush();
        heading = line.text;
      } else buffer.push(line.text);
    }
    flush();
  }
  const hasText = pages.some((lines) => lines.length > 0);
  return {
    pageCount,
    blocks,
    pages: pageTexts(pages, pageCount),
    attachments: [],
    needsOcr: hasText ? null : NO_TEXT_LAYER,
  };
}

function pageTexts(pages: Line[][], pageCount: number): string[] {
  const texts = pages.map((lines) => lines.map((line) => line.text).join("\n"));
  while (texts.length < pageCount) texts.push("");
  return texts.length > 0 ? texts : pagesOf([], pageCount);
}

/** Items into lines: a new line after an end-of-line mark or when the baseline moves. */
function linesOf(items: { str: string; fontSize: number; hasEOL: boolean; y: number }[]): Line[] {
  const lines: Line[] = [];
  let text = "";
  let size = 0;
  let y: number | null = null;
  let ended = false;
  const push = () => {
    const clean = text.replace(/\s+/g, " ").trim();
    if (clean) lines.push({ text: clean, fontSize: size });
    text = "";
    size = 0;
  };
  for (const item of items) {
    if (y !== null && (ended || Math.abs(item.y - y) > Math.max(2, item.fontSize * 0.5)) && item.str !== "") push();
    if (item.str !== "") {
      text += item.str;
      size = Math.max(size, item.fontSize);
      y = item.y;
      ended = false;
    }
    if (item.hasEOL) ended = true;
  }
  push();
  return lines;
}

/** The font size most characters are set in: the body text's. */
function commonFontSize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(line.fontSize * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let most = -1;
  for (const [size, count] of chars) {
    if (count > most || (count === most && size < best)) {
      best = size;
      most = count;
    }
  }
  return best;
}
