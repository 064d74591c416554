import { PDFDocument } from "pdf-lib";
import { formatMoney, isCurrency } from "../../../tools/money.ts";
import { embedInvoiceFonts } from "../../invoices/pdf-fonts.ts";
import { A4, MARGIN, PdfWriter } from "../../invoices/pdf-writer.ts";
import type { ReportTable } from "../tables.ts";

export type ReportPdfInput = {
  title: string;
  organizationName: string;
  /** What the rows cover: "2030-01-06 to 2030-01-12 (UTC days)". */
  covers: string;
  table: ReportTable;
};

const ROW = 15;

/** "billableMinutes" → "Billable minutes". */
function headingOf(column: string): string {
  const words = column.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A cell as people read it: totals as money in the row's currency, empty for null. */
function cellOf(row: Record<string, unknown>, column: string): string {
  const value = row[column];
  if (value === null || value === undefined) return "";
  const currency = typeof row.currency === "string" ? row.currency : "";
  if (column === "total" && typeof value === "number" && isCurrency(currency)) return formatMoney(value, currency);
  return String(value);
}

/**
 * The report's rows as a table on A4 pages (DejaVu Sans, as the invoice PDF): the title, what it
 * covers, a header row (again on each page) and one line per row; numbers are right-aligned.
 */
export async function renderReportPdf(input: ReportPdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.title);
  doc.setAuthor(input.organizationName);
  doc.setCreator("Opsbox");
  const fonts = await embedInvoiceFonts(doc);
  const w = new PdfWriter(doc, fonts.regular, fonts.bold);
  const rows = input.table.data as Record<string, unknown>[];
  const { columns } = input.table;
  const width = (A4[0] - 2 * MARGIN) / Math.max(1, columns.length);
  const numeric = columns.map((column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number"));
  const at = (index: number) => (numeric[index] ? MARGIN + width * (index + 1) - 4 : MARGIN + width * index);
  const fit = (text: string) => {
    let out = w.clean(text);
    while (out.length > 1 && w.widthOf(out, 9) > width - 8) out = `${out.slice(0, -2)}…`;
    return out;
  };

  w.text(input.organizationName, MARGIN, { size: 9, grey: true });
  w.down(20);
  w.text(input.title, MARGIN, { size: 16, bold: true });
  w.down(16);
  w.text(input.covers, MARGIN, { grey: true });
  w.down(26);
  const header = () => {
    columns.forEach((column, index) => {
      w.text(fit(headingOf(column)), at(index), { bold: true, size: 9, right: numeric[index] });
    });
    w.down(6);
    w.rule();
    w.down(12);
  };
  header();
  if (rows.length === 0) w.text("Nothing in this period.", MARGIN, { grey: true });
  for (const row of rows) {
    columns.forEach((column, index) => {
      w.text(fit(cellOf(row, column)), at(index), { size: 9, right: numeric[index] });
    });
    if (w.y - ROW >= MARGIN) w.down(ROW);
    else {
      w.newPage();
      header();
    }
  }
  return doc.save();
}
