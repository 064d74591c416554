import { type DocumentInboxOutcome, documentInboxReads } from "../../models/bills.ts";
import type { Document } from "../../models/knowledge.ts";
import type { AgentContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { lineAmountOf, type ReadingConfidence } from "../knowledge/invoice-reading/confidence.ts";
import type { InvoiceExtraction } from "../knowledge/invoice-reading/schemas.ts";
import type { BillView } from "../work/bills/bills.ts";
import { requestBillReview } from "../work/bills/events.ts";
import type { BillInput, BillLineInput } from "../work/bills/schemas.ts";
import { submitBill } from "../work/bills/transitions.ts";

/** The largest unit price a line accepts (server/work/invoices/schemas.ts): beyond it the number was misread. */
const MAX_UNIT_PRICE = 1_000_000_000_000_000;

/**
 * One tax rate for every line, from the printed tax over the printed subtotal (or total − tax),
 * in basis points: invoices rarely print a rate per line that a model reads reliably.
 */
export function taxRateOf(invoice: InvoiceExtraction): number {
  const { subtotal, tax, total } = invoice.totals;
  const base = subtotal ?? (total !== null && tax !== null ? total - tax : null);
  const taxed = tax ?? (total !== null && subtotal !== null ? total - subtotal : null);
  if (base === null || taxed === null || base <= 0 || taxed < 0) return 0;
  return Math.min(10000, Math.round((taxed * 10000) / base));
}

/** What was read, as a draft bill's input; `fallbackCurrency` where no currency was read. */
export function billInputFromReading(
  invoice: InvoiceExtraction,
  document: Pick<Document, "id" | "title">,
  fallbackCurrency: string,
): BillInput {
  const taxRate = taxRateOf(invoice);
  const fits = (price: number) => (Math.abs(price) <= MAX_UNIT_PRICE ? price : 0);
  const lines: BillLineInput[] = invoice.lines.map((line, index) => {
    const quantity = line.quantity !== null ? Math.round(line.quantity * 1000) / 1000 || 1 : 1;
    const amount = lineAmountOf(line) ?? 0;
    const unitPrice = line.unitPrice ?? Math.round(amount / quantity);
    return { description: line.description || `Line ${index + 1}`, quantity, unitPrice: fits(unitPrice), taxRate };
  });
  const whole = invoice.totals.subtotal ?? invoice.totals.total;
  if (lines.length === 0 && whole !== null) {
    const rate = invoice.totals.subtotal === null ? 0 : taxRate;
    lines.push({
      description: `Bill ${invoice.number ?? ""}`.trim(),
      quantity: 1,
      unitPrice: fits(whole),
      taxRate: rate,
    });
  }
  const dueDate =
    invoice.dueDate && (!invoice.issueDate || invoice.dueDate >= invoice.issueDate) ? invoice.dueDate : null;
  return {
    supplierName: (invoice.vendor.name ?? "Unknown supplier").slice(0, 200),
    number: (invoice.number ?? "").slice(0, 60),
    issueDate: invoice.issueDate,
    dueDate,
    currency: invoice.currency ?? fallbackCurrency,
    notes: `Read by the Document inbox agent from the document “${document.title}”.`.slice(0, 5000),
    lines: lines.map((line) => ({ ...line, description: line.description.slice(0, 1000) })),
  };
}

/** Where a drafted bill went: into its approval pipeline, or to the people who manage bills. */
export type Routed = { to: "approval" | "review"; reason: string };

/**
 * Sends the bill into approval when its reading is sure enough (confidence ≥ threshold) and the
 * organisation has a pipeline for bills; otherwise asks the people with bills.manage to review it.
 */
export function routeBill(
  ctx: AgentContext,
  view: BillView,
  reading: ReadingConfidence,
  threshold: number,
  now: Date,
): Routed {
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  let reason = `read with ${percent(reading.confidence)} confidence, below the ${percent(threshold)} needed to send it for approval`;
  if (reading.confidence >= threshold) {
    try {
      submitBill(ctx, view.bill.id, now);
      return { to: "approval", reason: `read with ${percent(reading.confidence)} confidence` };
    } catch (error) {
      if (!(error instanceof AppError) || !["conflict", "validation_failed"].includes(error.code)) throw error;
      reason = `read with ${percent(reading.confidence)} confidence, but it could not be sent for approval: ${error.details[0]?.message ?? error.message}`;
    }
  }
  ctx.db.transaction((tx) => requestBillReview(tx, ctx, view.bill, reason, now));
  return { to: "review", reason };
}

/** Records what the agent made of a document, once (a second record for the same document is ignored). */
export function recordInboxRead(
  db: Queryable,
  orgId: string,
  documentId: string,
  outcome: DocumentInboxOutcome,
  detail: { billId?: string; note?: string },
  now: Date,
): void {
  db.insert(documentInboxReads)
    .values({ orgId, documentId, outcome, billId: detail.billId ?? null, note: detail.note ?? "", readAt: now })
    .onConflictDoNothing()
    .run();
}
