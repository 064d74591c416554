/**
 * A run of text of one page under one heading, in reading order. A CSV row carries its table's
 * header line, so the chunker can repeat the header at the top of every chunk.
 */
export type Block = { page: number; heading: string; text: string; tableHeader?: string };

/** A file that came inside another one (an e-mail's attachment): it becomes a document of its own. */
export type Attachment = { fileName: string; bytes: Uint8Array };

export type Extraction = {
  pageCount: number;
  blocks: Block[];
  /** The text of each page (index 0 = page 1) as a person would read it. */
  pages: string[];
  attachments: Attachment[];
  /** Set when the document has no text to index without OCR (a scanned PDF): why, in words. */
  needsOcr: string | null;
};

/** The content cannot be read (a broken PDF, a malformed e-mail): retrying will not help. */
export class ExtractionError extends Error {
  override name = "ExtractionError";
}

/** Pages of text from blocks (formats without pages put everything on page 1). */
export function pagesOf(blocks: Block[], pageCount: number): string[] {
  const pages = Array.from({ length: Math.max(pageCount, 1) }, () => [] as string[]);
  const lastHeading = new Map<number, string>();
  for (const block of blocks) {
    const lines = pages[block.page - 1];
    if (!lines) continue;
    if (block.heading && lastHeading.get(block.page) !== block.heading && !block.tableHeader) {
      lines.push(block.heading);
    }
    lastHeading.set(block.page, block.heading);
    if (block.tableHeader && lines.length === 0) lines.push(block.tableHeader);
    lines.push(block.text);
  }
  return pages.map((lines) => lines.join("\n"));
}

/** An extraction of text-only formats: one page, no attachments. */
export function singlePage(blocks: Block[]): Extraction {
  return { pageCount: 1, blocks, pages: pagesOf(blocks, 1), attachments: [], needsOcr: null };
}
