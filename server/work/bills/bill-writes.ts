import { eq } from "drizzle-orm";
import { type Bill, billLines, billStatusLabels, bills } from "../../../models/bills.ts";
import type { ActorContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { newId } from "../../tools/ids.ts";
import { computeTotals, type LineValues, lineValuesOf } from "../invoices/lines.ts";
import { type BillView, billEtag, billOrNotFound, findBillOfDocument } from "./bills.ts";
import { billTitle, recordBillEvent } from "./events.ts";
import type { BillInput, BillLineInput, UpdateBillInput } from "./schemas.ts";

/** Where a bill came from, when it was read out of a document rather than typed. */
export type BillOrigin = { sourceDocumentId: string; confidence: number; confidenceNotes: string[] };

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path, message }]);
}

function assertDates(issueDate: string | null | undefined, dueDate: string | null | undefined): void {
  if (issueDate && dueDate && dueDate < issueDate) {
    throw invalid("dueDate", "The due date cannot be before the issue date.");
  }
}

/** 409 unless the bill is a draft: only drafts may be edited or sent for approval. */
export function assertDraftBill(bill: Bill, action: string): void {
  if (bill.status === "draft") return;
  throw new AppError(
    "conflict",
    `${billTitle(bill)} is ${billStatusLabels[bill.status].toLowerCase()} (status "${bill.status}"); only a draft can be ${action}.`,
    [{ path: "status", message: bill.status }],
  );
}

/** Replaces the bill's lines and stores their amounts and the bill's totals (exact, invoices/totals.ts). */
function saveBillLines(tx: DbTransaction, bill: Bill, lines: readonly BillLineInput[], now: Date) {
  const values: LineValues[] = lineValuesOf(lines, 0);
  const totals = computeTotals(values);
  tx.delete(billLines).where(eq(billLines.billId, bill.id)).run();
  values.forEach((line, index) => {
    const computed = totals.lines[index] ?? { amount: 0, tax: 0 };
    tx.insert(billLines)
      .values({
        id: newId("bln", now.getTime()),
        orgId: bill.orgId,
        billId: bill.id,
        position: index,
        description: line.description,
        quantityMilli: line.quantityMilli,
        unitPrice: line.unitPrice,
        taxRate: line.taxRate,
        amount: computed.amount,
        tax: computed.tax,
      })
      .run();
  });
  tx.update(bills)
    .set({ subtotal: totals.subtotal, tax: totals.tax, total: totals.total, updatedAt: now })
    .where(eq(bills.id, bill.id))
    .run();
  return totals;
}

/**
 * Creates a draft bill, as a person or as an agent (then `origin` says which document it was
 * read from, and how sure the reading is). A document gives at most one bill: 409 for a second.
 */
export function createBill(ctx: ActorContext, input: BillInput, origin?: BillOrigin, now = new Date()): BillView {
  assertDates(input.issueDate, input.dueDate);
  const id = ctx.db.transaction((tx) => {
    if (origin && findBillOfDocument(tx, ctx.orgId, origin.sourceDocumentId)) {
      throw new AppError("conflict", "A bill was already made from this document.");
    }
    const bill = tx
      .insert(bills)
      .values({
        id: newId("bil", now.getTime()),
        orgId: ctx.orgId,
        supplierName: input.supplierName,
        number: input.number ?? "",
        issueDate: input.issueDate ?? null,
        dueDate: input.dueDate ?? null,
        currency: input.currency,
        status: "draft",
        notes: input.notes ?? "",
        sourceDocumentId: origin?.sourceDocumentId ?? null,
        confidence: origin?.confidence ?? null,
        confidenceNotes: origin?.confidenceNotes ?? [],
        createdBy: ctx.userId,
        createdByAgent: ctx.agentId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const totals = saveBillLines(tx, bill, input.lines, now);
    recordBillEvent(
      tx,
      ctx,
      bill,
      "bill.created",
      `${billTitle(bill)} entered as a draft`,
      { total: totals.total, currency: bill.currency, sourceDocumentId: bill.sourceDocumentId },
      now,
    );
    return bill.id;
  });
  return billOrNotFound(ctx, id);
}

/** Edits a draft (409 otherwise; 412 on a stale `ifMatch`); `lines`, when sent, replace the lines. */
export function updateBill(
  ctx: ActorContext,
  id: string,
  input: UpdateBillInput,
  ifMatch?: string,
  now = new Date(),
): BillView {
  ctx.db.transaction((tx) => {
    const view = billOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertIfMatch(ifMatch, billEtag(view));
    const { bill } = view;
    assertDraftBill(bill, "edited");
    const changes: Partial<Bill> = {};
    for (const field of ["supplierName", "number", "issueDate", "dueDate", "currency", "notes"] as const) {
      const value = input[field];
      if (value !== undefined && value !== bill[field]) Object.assign(changes, { [field]: value });
    }
    assertDates(
      changes.issueDate !== undefined ? changes.issueDate : bill.issueDate,
      changes.dueDate !== undefined ? changes.dueDate : bill.dueDate,
    );
    const fields = Object.keys(changes);
    if (fields.length > 0) {
      tx.update(bills)
        .set({ ...changes, updatedAt: now })
        .where(eq(bills.id, id))
        .run();
    }
    if (input.lines !== undefined) {
      saveBillLines(tx, bill, input.lines, now);
      fields.push("lines");
    }
    if (fields.length === 0) return;
    recordBillEvent(
      tx,
      ctx,
      { ...bill, ...changes },
      "bill.updated",
      `${billTitle({ ...bill, ...changes })} edited`,
      { fields },
      now,
    );
  });
  return billOrNotFound(ctx, id);
}
