import { PDFDocument } from "pdf-lib";
import { formatScaledDecimal } from "../../tools/decimals.ts";
import { basisPointsToPercent, formatMoney } from "../../tools/money.ts";
import { statusLabels } from "./events.ts";
import type { InvoiceView } from "./invoices.ts";
import { embedInvoiceFonts } from "./pdf-fonts.ts";
import { A4, MARGIN, PdfWriter } from "./pdf-writer.ts";

export type InvoicePdfInput = {
  view: InvoiceView;
  organizationName: string;
  customer: { name: string; email: string | null; address: string; taxId: string };
};

// Column right edges (amount columns are right-aligned) and the description's width.
const COLUMNS = { description: MARGIN, quantity: 330, unitPrice: 410, taxRate: 460, amount: A4[0] - MARGIN };
const DESCRIPTION_WIDTH = 230;

/** A real PDF of the invoice: header, dates, customer, lines, totals and notes (A4, DejaVu Sans). */
export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const { invoice, lines } = input.view;
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const doc = await PDFDocument.create();
  doc.setTitle(`Invoice ${invoice.number}`);
  doc.setAuthor(input.organizationName);
  doc.setCreator("Opsbox");
  const fonts = await embedInvoiceFonts(doc);
  const w = new PdfWriter(doc, fonts.regular, fonts.bold);

  w.text(input.organizationName, MARGIN, { size: 16, bold: true });
  w.text("INVOICE", COLUMNS.amount, { size: 16, bold: true, right: true });
  w.down(22);
  w.text(`Number: ${invoice.number}`, COLUMNS.amount, { right: true });
  w.down(14);
  w.text(`Issue date: ${invoice.issueDate}`, COLUMNS.amount, { right: true });
  w.down(14);
  w.text(`Due date: ${invoice.dueDate}`, COLUMNS.amount, { right: true });
  if (invoice.status === "void" || invoice.status === "draft") {
    w.down(14);
    w.text(statusLabels[invoice.status].toUpperCase(), COLUMNS.amount, { right: true, bold: true });
  }
  w.down(28);

  w.text("Bill to", MARGIN, { bold: true, grey: true, size: 9 });
  w.down(14);
  w.text(input.customer.name, MARGIN, { bold: true });
  for (const line of [...input.customer.address.split(/\r?\n/), input.customer.email ?? ""]) {
    if (!line.trim()) continue;
    w.down(13);
    w.text(line.trim(), MARGIN);
  }
  if (input.customer.taxId) {
    w.down(13);
    w.text(`Tax ID: ${input.customer.taxId}`, MARGIN);
  }
  w.down(32);

  const header = () => {
    w.text("Description", COLUMNS.description, { bold: true, size: 9 });
    w.text("Qty", COLUMNS.quantity, { bold: true, size: 9, right: true });
    w.text("Unit price", COLUMNS.unitPrice, { bold: true, size: 9, right: true });
    w.text("Tax", COLUMNS.taxRate, { bold: true, size: 9, right: true });
    w.text("Amount", COLUMNS.amount, { bold: true, size: 9, right: true });
    w.down(6);
    w.rule();
    w.down(12);
  };
  header();
  for (const line of lines) {
    const wrapped = w.wrap(line.description, DESCRIPTION_WIDTH);
    if (w.y - wrapped.length * 12 < MARGIN) {
      w.newPage();
      header();
    }
    w.text(formatScaledDecimal(line.quantityMilli, 3), COLUMNS.quantity, { right: true });
    w.text(money(line.unitPrice), COLUMNS.unitPrice, { right: true });
    w.text(`${basisPointsToPercent(line.taxRate)}%`, COLUMNS.taxRate, { right: true });
    w.text(money(line.amount), COLUMNS.amount, { right: true });
    wrapped.forEach((text, index) => {
      if (index > 0) w.down(12);
      w.text(text, COLUMNS.description);
    });
    w.down(16);
  }
  w.rule();
  w.down(10);
  for (const [label, value, bold] of [
    ["Subtotal", invoice.subtotal, false],
    ["Tax", invoice.tax, false],
    [`Total (${invoice.currency})`, invoice.total, true],
  ] as const) {
    w.text(label, COLUMNS.taxRate, { right: true, bold });
    w.text(money(value), COLUMNS.amount, { right: true, bold });
    w.down(15);
  }
  if (invoice.notes.trim()) {
    w.down(15);
    w.text("Notes", MARGIN, { bold: true, grey: true, size: 9 });
    for (const text of w.wrap(invoice.notes, A4[0] - 2 * MARGIN)) {
      w.down(13);
      w.text(text, MARGIN);
    }
  }
  return doc.save();
}

/** A file name for the download: the invoice number with anything unusual replaced. */
export function invoicePdfFileName(number: string): string {
  return `invoice-${number.replace(/[^A-Za-z0-9._-]+/g, "_") || "invoice"}.pdf`;
}
