import type { DocumentKind } from "../../../models/knowledge.ts";
import { decodeUtf8 } from "../upload/sniff.ts";
import { extractCsv } from "./csv.ts";
import { extractEmail } from "./email.ts";
import { extractMarkdown } from "./markdown.ts";
import { extractPdf } from "./pdf.ts";
import { extractPlainText } from "./text.ts";
import { type Extraction, ExtractionError } from "./types.ts";

/** The text of a document of a sniffed kind, by page and heading. Throws ExtractionError on unreadable content. */
export async function extractDocument(kind: DocumentKind, bytes: Uint8Array): Promise<Extraction> {
  if (kind === "pdf") return extractPdf(bytes);
  if (kind === "email") return extractEmail(bytes);
  const text = decodeUtf8(bytes);
  if (text === null) throw new ExtractionError("The file is not valid UTF-8 text.");
  switch (kind) {
    case "html":
      // On first use, not at start: `entities`' tables cost about 5 MB (bench/RESULTS.md, 2026-12-07).
      return (await import("./html.ts")).extractHtml(text);
    case "markdown":
      return extractMarkdown(text);
    case "csv":
      return extractCsv(text);
    case "text":
      return extractPlainText(text);
  }
}
