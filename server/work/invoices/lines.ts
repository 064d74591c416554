import { eq } from "drizzle-orm";
import { type InvoiceLine, invoiceLines, invoices } from "../../../models/billing.ts";
import type { DbTransaction } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { newId } from "../../tools/ids.ts";
import type { LineInputBody } from "./schemas.ts";
import { invoiceTotals, quantityToMilli, TotalsOverflow } from "./totals.ts";

/** A line as stored, before its amount and tax are computed; `id` keeps an existing line. */
export type LineValues = {
  id?: string | undefined;
  description: string;
  quantityMilli: number;
  unitPrice: number;
  taxRate: number;
};

/** API lines in stored units; a line without a tax rate takes the organisation's default. */
export function lineValuesOf(lines: readonly LineInputBody[], defaultTaxRate: number): LineValues[] {
  return lines.map((line, index) => {
    const quantityMilli = quantityToMilli(line.quantity);
    if (quantityMilli === null) throw lineError(index, "quantity", "Use at most three decimals.");
    return {
      id: line.id,
      description: line.description,
      quantityMilli,
      unitPrice: line.unitPrice,
      taxRate: line.taxRate ?? defaultTaxRate,
    };
  });
}

function lineError(index: number, field: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path: `lines.${index}.${field}`, message }]);
}

/**
 * Makes `lines` the invoice's lines, in order: a line naming one of the invoice's current
 * lines by `id` is updated in place (time entries billed to it stay billed), the others are
 * inserted, and current lines left out are deleted (their time entries become billable again).
 * Then it stores the line amounts and the invoice's subtotal, tax and total (see totals.ts).
 */
export function saveInvoiceLines(
  tx: DbTransaction,
  invoice: { id: string; orgId: string },
  current: readonly InvoiceLine[],
  lines: readonly LineValues[],
  now: Date,
): { lines: InvoiceLine[]; subtotal: number; tax: number; total: number } {
  const totals = computeTotals(lines);
  const currentIds = new Set(current.map((line) => line.id));
  const kept = new Set<string>();
  lines.forEach((line, index) => {
    if (line.id === undefined) return;
    if (!currentIds.has(line.id) || kept.has(line.id)) {
      throw lineError(index, "id", "No such line on this invoice; leave the id out for a new line.");
    }
    kept.add(line.id);
  });
  for (const line of current) {
    if (!kept.has(line.id)) tx.delete(invoiceLines).where(eq(invoiceLines.id, line.id)).run();
  }
  const saved = lines.map((line, index) => {
    const computed = totals.lines[index] ?? { amount: 0, tax: 0 };
    const values = {
      description: line.description,
      position: index,
      quantityMilli: line.quantityMilli,
      unitPrice: line.unitPrice,
      taxRate: line.taxRate,
      amount: computed.amount,
      tax: computed.tax,
    };
    if (line.id !== undefined) {
      return tx.update(invoiceLines).set(values).where(eq(invoiceLines.id, line.id)).returning().get();
    }
    return tx
      .insert(invoiceLines)
      .values({ id: newId("inl", now.getTime()), orgId: invoice.orgId, invoiceId: invoice.id, ...values })
      .returning()
      .get();
  });
  tx.update(invoices)
    .set({ subtotal: totals.subtotal, tax: totals.tax, total: totals.total, updatedAt: now })
    .where(eq(invoices.id, invoice.id))
    .run();
  return { lines: saved, subtotal: totals.subtotal, tax: totals.tax, total: totals.total };
}

/** The totals, or a 422 naming the line (or the invoice) whose amount is too large to keep exactly. */
export function computeTotals(lines: readonly LineValues[]) {
  try {
    return invoiceTotals(lines);
  } catch (error) {
    if (!(error instanceof TotalsOverflow)) throw error;
    if (error.line !== null) throw lineError(error.line, "unitPrice", "This line's amount is too large.");
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "lines", message: "The invoice's total is too large." },
    ]);
  }
}
