import { and, asc, desc, eq, lt } from "drizzle-orm";
import { type Bill, type BillLine, billLines, bills } from "../../../models/bills.ts";
import type { Queryable } from "../../db.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import { invoiceLineJson } from "../invoices/invoices.ts";
import type { BillListQuery } from "./schemas.ts";

/** A bill with its lines: what the API and the pages show. */
export type BillView = { bill: Bill; lines: BillLine[] };

export function billSummaryJson(bill: Bill) {
  return {
    id: bill.id,
    supplierName: bill.supplierName,
    number: bill.number,
    issueDate: bill.issueDate,
    dueDate: bill.dueDate,
    currency: bill.currency,
    status: bill.status,
    notes: bill.notes,
    subtotal: bill.subtotal,
    tax: bill.tax,
    total: bill.total,
    sourceDocumentId: bill.sourceDocumentId,
    confidence: bill.confidence,
    confidenceNotes: bill.confidenceNotes,
    approvalRequestId: bill.approvalRequestId,
    createdBy: bill.createdBy,
    createdByAgent: bill.createdByAgent,
    paidAt: bill.paidAt?.toISOString() ?? null,
    createdAt: bill.createdAt.toISOString(),
    updatedAt: bill.updatedAt.toISOString(),
  };
}

export function billJson(view: BillView) {
  return {
    ...billSummaryJson(view.bill),
    lines: view.lines.map(invoiceLineJson),
  };
}

export const billEtag = (view: BillView): string => etagOf(billJson(view));

/** The bill of the organisation with its lines, or null (also for another organisation's). */
export function findBillById(db: Queryable, orgId: string, id: string): BillView | null {
  const bill = db
    .select()
    .from(bills)
    .where(and(eq(bills.orgId, orgId), eq(bills.id, id)))
    .get();
  if (!bill) return null;
  const lines = db.select().from(billLines).where(eq(billLines.billId, id)).orderBy(asc(billLines.position)).all();
  return { bill, lines };
}

/** The bill with its lines, or 404 "No such bill." for unknown ids and other organisations' bills. */
export function billOrNotFound(ctx: { db: Queryable; orgId: string }, id: string): BillView {
  const view = findBillById(ctx.db, ctx.orgId, id);
  if (!view) throw notFound("bill");
  return view;
}

/** The bill made from a document, or null. */
export function findBillOfDocument(db: Queryable, orgId: string, documentId: string): Bill | null {
  return (
    db
      .select()
      .from(bills)
      .where(and(eq(bills.orgId, orgId), eq(bills.sourceDocumentId, documentId)))
      .get() ?? null
  );
}

/** One page of bills, newest first, by status; keyset on the id. */
export function listBills(
  ctx: { db: Queryable; orgId: string },
  query: BillListQuery,
): { data: Bill[]; nextCursor: string | null } {
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
  const rows = ctx.db
    .select()
    .from(bills)
    .where(
      and(
        eq(bills.orgId, ctx.orgId),
        query.status ? eq(bills.status, query.status) : undefined,
        typeof before === "string" ? lt(bills.id, before) : undefined,
      ),
    )
    .orderBy(desc(bills.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}
