import type { DocumentKind } from "../../../models/knowledge.ts";

/** What the bytes are, decided from the content alone (a name or a declared type can lie). */
export type Sniffed = { kind: DocumentKind; mediaType: string } | null;

export const mediaTypes: Record<DocumentKind, string> = {
  pdf: "application/pdf",
  email: "message/rfc822",
  html: "text/html",
  markdown: "text/markdown",
  csv: "text/csv",
  text: "text/plain",
};

const HEAD_BYTES = 64 * 1024;

/**
 * PDF (`%PDF-` near the start), e-mail (RFC 822 headers), HTML, Markdown, CSV or plain text
 * (valid UTF-8 without control bytes); null for anything else: binaries, images, archives.
 */
export function sniffDocument(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return null;
  const head = bytes.subarray(0, Math.min(bytes.length, HEAD_BYTES));
  // The PDF spec lets a header sit anywhere in the first 1024 bytes.
  if (latin1(head.subarray(0, 1024)).includes("%PDF-")) return of("pdf");
  // Mail may carry 8-bit bodies in any charset, so its headers are read before the UTF-8 check.
  if (looksLikeEmail(latin1(head.subarray(0, 16 * 1024)))) return of("email");
  // Only the head is looked at (an upload sniffs its first 64 KB); a cut-off last line is left out.
  const whole = bytes.length < HEAD_BYTES;
  const text = decodeUtf8(head, { prefix: !whole });
  if (text === null || hasBinaryControls(text)) return null;
  const start = (whole ? text : text.slice(0, Math.max(text.lastIndexOf("\n"), 0))).replace(/^\uFEFF/, "");
  if (looksLikeHtml(start)) return of("html");
  if (looksLikeMarkdown(start)) return of("markdown");
  if (looksLikeCsv(start)) return of("csv");
  return of("text");
}

function of(kind: DocumentKind): Sniffed {
  return { kind, mediaType: mediaTypes[kind] };
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

/**
 * The text, or null when the bytes are not valid UTF-8. With `prefix`, the bytes are the start
 * of something longer, so a character cut off at the end is not an error.
 */
export function decodeUtf8(bytes: Uint8Array, options: { prefix?: boolean } = {}): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: options.prefix === true });
  } catch {
    return null;
  }
}

/** NUL and the other C0 controls besides tab, newline, carriage return and form feed mark binary data. */
function hasBinaryControls(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this looks for.
  return /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

const headerLine = /^[!-9;-~]+:[ \t]?.*$/;
const mailHeaders = /^(from|to|cc|subject|date|message-id|mime-version|received|return-path|reply-to|content-type):/i;

/** A block of `Name: value` lines (with folded continuations) up to a blank line, naming From plus another mail header. */
function looksLikeEmail(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const names = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (line === "") return index > 0 && names.has("from") && names.size >= 2;
    if (/^[ \t]/.test(line) && index > 0) continue;
    if (!headerLine.test(line)) return false;
    const name = mailHeaders.exec(line)?.[1]?.toLowerCase();
    if (name) names.add(name);
  }
  return false;
}

function looksLikeHtml(text: string): boolean {
  const start = text.trimStart().slice(0, 2048).toLowerCase();
  if (/^<!doctype html|^<html[\s>]/.test(start)) return true;
  // A fragment that opens with a comment or an XML prolog before its <html>.
  return /^<(!--|\?xml)/.test(start) && /<html[\s>]/.test(start);
}

function looksLikeMarkdown(text: string): boolean {
  const lines = text.split(/\r?\n/).slice(0, 400);
  if (lines.some((line) => /^#{1,6}\s+\S/.test(line))) return true;
  let signs = 0;
  for (const [index, line] of lines.entries()) {
    if (/^```/.test(line)) signs += 1;
    if (/\[[^\]]+\]\([^)\s]+\)/.test(line)) signs += 1;
    if (/^(=+|-+)\s*$/.test(line) && (lines[index - 1] ?? "").trim() !== "") signs += 1;
    if (/^\s*[-*+]\s+\S/.test(line) && /\*\*[^*]+\*\*|`[^`]+`/.test(text)) signs += 1;
  }
  return signs >= 2;
}

/** At least two lines that split into the same number (≥ 2) of fields by one delimiter. */
function looksLikeCsv(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(0, 20);
  // A cut-off last line would not match: leave it out when the text was truncated.
  if (lines.length < 2) return false;
  return [",", ";", "\t"].some((delimiter) => {
    const counts = lines.map((line) => splitCsvLine(line, delimiter).length);
    const first = counts[0] ?? 0;
    return first >= 2 && counts.every((count) => count === first);
  });
}

/** One CSV line into fields, honouring double quotes ("" is a quote inside a quoted field). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The delimiter a CSV text uses (the one sniffDocument found), comma by default. */
export function csvDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(0, 20);
  for (const delimiter of [",", ";", "\t"]) {
    const counts = lines.map((line) => splitCsvLine(line, delimiter).length);
    if ((counts[0] ?? 0) >= 2 && counts.every((count) => count === counts[0])) return delimiter;
  }
  return ",";
}
