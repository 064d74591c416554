import { PDFDocument, StandardFonts } from "pdf-lib";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders } from "../testing/identity.ts";
import type { DocumentJson } from "./schemas.ts";

/** Test helpers for documents: PDFs made with pdf-lib at test time, uploads, waiting for ingestion. */

/** A PDF with one page per entry: a heading line (larger type) when given, then body lines. */
export async function makePdf(pages: { heading?: string; lines: string[] }[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const page of pages) {
    const sheet = pdf.addPage([595, 842]);
    let y = 780;
    if (page.heading) {
      sheet.drawText(page.heading, { x: 50, y, font, size: 18 });
      y -= 30;
    }
    for (const line of page.lines) {
      sheet.drawText(line, { x: 50, y, font, size: 11 });
      y -= 15;
    }
  }
  return pdf.save();
}

/** A PDF whose only page holds a drawn rectangle: no text layer at all (like a scan). */
export async function makeScannedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600 });
  return pdf.save();
}

/** The first bytes of a real PNG: what an image renamed to .pdf starts with. */
export const PNG_BYTES = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
  0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);

export type UploadOptions = Record<string, string | string[]>;

/** POST /api/v1/documents as a console script would (same origin, htmx header), or with `headers`. */
export function uploadAs(
  box: TestApp,
  cookie: string | null,
  bytes: Uint8Array | string,
  fileName: string,
  fields: UploadOptions = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], fileName));
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  return box.fetch("/api/v1/documents", {
    method: "POST",
    headers: { ...(cookie ? consoleHeaders(box, cookie) : { Origin: new URL(box.url).origin }), ...headers },
    body: form,
  });
}

/** Polls GET /api/v1/documents/{id} until its status is one of `statuses` (ingestion runs in the background). */
export async function waitForDocument(
  box: TestApp,
  cookie: string,
  id: string,
  statuses: DocumentJson["status"][] = ["indexed", "failed", "needs_ocr"],
  timeoutMs = 20_000,
): Promise<DocumentJson> {
  const deadline = Date.now() + timeoutMs;
  let last: DocumentJson | null = null;
  while (Date.now() < deadline) {
    const response = await box.fetch(`/api/v1/documents/${id}`, { headers: consoleHeaders(box, cookie) });
    if (response.status === 200) {
      last = (await response.json()) as DocumentJson;
      if (statuses.includes(last.status)) return last;
    } else await response.body?.cancel();
    await Bun.sleep(25);
  }
  throw new Error(`document ${id} did not reach ${statuses.join("/")} (last: ${last?.status ?? "none"})`);
}
