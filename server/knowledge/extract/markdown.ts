import { paragraphsOf } from "./text.ts";
import { type Block, type Extraction, singlePage } from "./types.ts";

/**
 * Markdown: `#` headings (and setext underlines) become the headings of the text below them;
 * the rest is kept as written, since Markdown reads well as plain text.
 */
export function extractMarkdown(text: string): Extraction {
  const blocks: Block[] = [];
  let heading = "";
  let buffer: string[] = [];
  let fenced = false;
  const flush = () => {
    for (const paragraph of paragraphsOf(buffer.join("\n"))) blocks.push({ page: 1, heading, text: paragraph });
    buffer = [];
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const atx = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    const next = lines[index + 1] ?? "";
    if (atx) {
      flush();
      heading = atx[1] ?? "";
    } else if (!fenced && line.trim() !== "" && /^(=+|-+)\s*$/.test(next) && !/^\s*[-*+]\s/.test(line)) {
      flush();
      heading = line.trim();
    } else if (!fenced && /^(=+|-+)\s*$/.test(line) && heading === (lines[index - 1] ?? "").trim()) {
      // The underline of the setext heading just taken.
    } else buffer.push(line);
  }
  flush();
  return singlePage(blocks);
}
