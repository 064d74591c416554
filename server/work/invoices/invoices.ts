import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { customers, type Invoice, type InvoiceLine, invoiceLines, invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import type { InvoiceFilters, InvoiceListQuery } from "./schemas.ts";
import { milliToQuantity } from "./totals.ts";

/** An invoice with its lines and its customer's name: what the API and the pages show. */
export type InvoiceView = { invoice: Invoice; lines: InvoiceLine[]; customerName: string };
/** A list row: the invoice and its customer's name, without lines. */
export type InvoiceRow = { invoice: Invoice; customerName: string };

export type InvoiceLineJson = {
  id: string;
  description: string;
  quantity: number;
  unitPrice: number;
  taxRate: number;
  amount: number;
  tax: number;
};

/** A stored line as the API answers it (an invoice's, or a supplier's bill's: the same columns). */
export function invoiceLineJson(
  line: Pick<InvoiceLine, "id" | "description" | "quantityMilli" | "unitPrice" | "taxRate" | "amount" | "tax">,
): InvoiceLineJson {
  return {
    id: line.id,
    description: line.description,
    quantity: milliToQuantity(line.quantityMilli),
    unitPrice: line.unitPrice,
    taxRate: line.taxRate,
    amount: line.amount,
    tax: line.tax,
  };
}

export function invoiceSummaryJson(row: InvoiceRow) {
  const { invoice } = row;
  return {
    id: invoice.id,
    number: invoice.number,
    customerId: invoice.customerId,
    customerName: row.customerName,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    status: invoice.status,
    notes: invoice.notes,
    subtotal: invoice.subtotal,
    tax: invoice.tax,
    total: invoice.total,
    approvalRequestId: invoice.approvalRequestId,
    createdBy: invoice.createdBy,
    sentAt: invoice.sentAt?.toISOString() ?? null,
    paidAt: invoice.paidAt?.toISOString() ?? null,
    voidedAt: invoice.voidedAt?.toISOString() ?? null,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}

export function invoiceJson(view: InvoiceView) {
  return { ...invoiceSummaryJson(view), lines: view.lines.map(invoiceLineJson) };
}

export function invoiceEtag(view: InvoiceView): string {
  return etagOf(invoiceJson(view));
}

/** The invoice row of the organisation, or null (also for another organisation's). */
export function findInvoiceRow(db: Queryable, orgId: string, id: string): Invoice | null {
  return (
    db
      .select()
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.id, id)))
      .get() ?? null
  );
}

export function linesOf(db: Queryable, invoiceId: string): InvoiceLine[] {
  return db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position))
    .all();
}

/** The invoice with lines and customer name, or null. */
export function findInvoiceById(db: Queryable, orgId: string, id: string): InvoiceView | null {
  const row = db
    .select({ invoice: invoices, customerName: customers.name })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.orgId, orgId), eq(invoices.id, id)))
    .get();
  return row ? { ...row, lines: linesOf(db, id) } : null;
}

/** The invoice with its lines, or 404 "No such invoice." for unknown ids and other organisations' invoices. */
export function invoiceOrNotFound(ctx: { db: Queryable; orgId: string }, id: string): InvoiceView {
  const view = findInvoiceById(ctx.db, ctx.orgId, id);
  if (!view) throw notFound("invoice");
  return view;
}

/**
 * One page of invoices, newest first, by status (one or several), customer and issue dates.
 * Keyset on the id (ids sort by creation), so invoices created while paging never shift a page.
 */
export function listInvoices(
  ctx: ServiceContext,
  query: InvoiceListQuery,
): { data: InvoiceRow[]; nextCursor: string | null } {
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
  const rows = ctx.db
    .select({ invoice: invoices, customerName: customers.name })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(...filterConditions(ctx.orgId, query), typeof before === "string" ? lt(invoices.id, before) : undefined))
    .orderBy(desc(invoices.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.invoice.id]);
}

function filterConditions(orgId: string, filters: InvoiceFilters) {
  const statuses = filters.status;
  const indexed = Boolean(statuses?.length || filters.customerId);
  return [
    // Without a status or customer filter there is no (org_id, id) index to walk; the unary
    // plus keeps SQLite from sorting every invoice of the organisation through the
    // (org_id, number) index and makes it walk the id index newest first instead.
    indexed ? eq(invoices.orgId, orgId) : sql`+${invoices.orgId} = ${orgId}`,
    statuses && statuses.length === 1 && statuses[0] ? eq(invoices.status, statuses[0]) : undefined,
    statuses && statuses.length > 1 ? inArray(invoices.status, statuses) : undefined,
    filters.customerId ? eq(invoices.customerId, filters.customerId) : undefined,
    filters.issuedFrom ? gte(invoices.issueDate, filters.issuedFrom) : undefined,
    filters.issuedTo ? lte(invoices.issueDate, filters.issuedTo) : undefined,
  ];
}
