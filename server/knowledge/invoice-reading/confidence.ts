import { formatMoney } from "../../tools/money.ts";
import type { InvoiceExtraction } from "./schemas.ts";

/** How sure a reading is: the share of its checks that passed (0–1), and what failed, in words. */
export type ReadingConfidence = { confidence: number; notes: string[] };

/** A line's amount as printed, else its quantity (1 when unread) × unit price; null when neither was read. */
export function lineAmountOf(line: InvoiceExtraction["lines"][number]): number | null {
  if (line.amount !== null) return line.amount;
  return line.unitPrice === null ? null : Math.round((line.quantity ?? 1) * line.unitPrice);
}

/**
 * The confidence of an invoice reading, from eight checks of equal weight: six fields read
 * (supplier, number, issue date, due date, currency, total), the lines adding up to the
 * subtotal (or to total − tax where no subtotal was read), and subtotal + tax making the total.
 * 1 only when everything was read and adds up; a check that cannot be made (no tax printed)
 * counts as failed, because nothing confirmed it. The model's own certainty plays no part: it
 * is not a number node-llama-cpp's grammar-constrained answer gives.
 */
export function readingConfidence(invoice: InvoiceExtraction): ReadingConfidence {
  const notes: string[] = [];
  const money = (minor: number) => formatMoney(minor, invoice.currency ?? "EUR");
  const fields: [unknown, string][] = [
    [invoice.vendor.name, "The supplier's name was not read."],
    [invoice.number, "No bill number was read."],
    [invoice.issueDate, "No issue date was read."],
    [invoice.dueDate, "No due date was read."],
    [invoice.currency, "No currency was read."],
    [invoice.totals.total, "No total was read."],
  ];
  for (const [value, missing] of fields) if (value === null) notes.push(missing);

  const { subtotal, tax, total } = invoice.totals;
  const amounts = invoice.lines.map(lineAmountOf);
  const linesTarget = subtotal ?? (total !== null && tax !== null ? total - tax : null);
  if (amounts.length === 0) notes.push("No lines were read.");
  else if (amounts.some((amount) => amount === null)) notes.push("A line was read without an amount.");
  else if (linesTarget === null) notes.push("No subtotal was read to check the lines against.");
  else {
    const sum = amounts.reduce<number>((total, amount) => total + (amount ?? 0), 0);
    if (sum !== linesTarget) notes.push(`The lines add up to ${money(sum)}, not ${money(linesTarget)}.`);
  }

  if (subtotal === null || tax === null || total === null) {
    notes.push("The subtotal, tax and total were not all read, so the total could not be checked.");
  } else if (subtotal + tax !== total) {
    notes.push(`The subtotal ${money(subtotal)} and tax ${money(tax)} do not make the total ${money(total)}.`);
  }
  const checks = fields.length + 2;
  return { confidence: (checks - notes.length) / checks, notes };
}
