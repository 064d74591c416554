import { csvDelimiter, splitCsvLine } from "../upload/sniff.ts";
import { type Block, type Extraction, singlePage } from "./types.ts";

/**
 * CSV: one block per row, written "value | value | …", each carrying the header line so that
 * every chunk starts with it (a row means little without its column names).
 */
export function extractCsv(text: string): Extraction {
  const source = text.replace(/^\uFEFF/, "");
  const delimiter = csvDelimiter(source);
  const rows = source
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) =>
      splitCsvLine(line, delimiter)
        .map((field) => field.trim())
        .join(" | "),
    );
  const [header = "", ...data] = rows;
  const blocks: Block[] =
    data.length > 0
      ? data.map((row) => ({ page: 1, heading: "", text: row, tableHeader: header }))
      : [{ page: 1, heading: "", text: header }];
  return singlePage(blocks);
}
