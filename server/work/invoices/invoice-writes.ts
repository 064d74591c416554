import { eq } from "drizzle-orm";
import { type Invoice, invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { addDays, todayUtc } from "../../tools/days.ts";
import { newId } from "../../tools/ids.ts";
import { findCustomerById } from "./customers.ts";
import { publishInvoiceEvent, statusLabels } from "./events.ts";
import { findInvoiceById, findInvoiceRow, type InvoiceView, invoiceEtag, invoiceOrNotFound } from "./invoices.ts";
import { lineValuesOf, saveInvoiceLines } from "./lines.ts";
import type { InvoiceInput, UpdateInvoiceInput } from "./schemas.ts";
import { readInvoiceSettings, takeInvoiceNumber } from "./settings.ts";

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path, message }]);
}

function assertCustomer(db: Queryable, orgId: string, customerId: string) {
  const customer = findCustomerById(db, orgId, customerId);
  if (!customer) throw invalid("customerId", "No such customer in this organisation.");
  return customer;
}

function assertDates(issueDate: string, dueDate: string): void {
  if (dueDate < issueDate) throw invalid("dueDate", "The due date cannot be before the issue date.");
}

/** 409 unless the invoice is a draft: only drafts may be edited or deleted. */
export function assertDraft(invoice: Invoice, action: string): void {
  if (invoice.status !== "draft") {
    throw new AppError(
      "conflict",
      `Invoice ${invoice.number} is ${statusLabels[invoice.status].toLowerCase()} (status "${invoice.status}"); only a draft can be ${action}.`,
      [{ path: "status", message: invoice.status }],
    );
  }
}

/**
 * Creates a draft invoice: the next number of the organisation's sequence (taken in the same
 * transaction), currency from the input, else the customer's; issue date
 * today and due date after the payment term unless given; lines and totals computed exactly.
 */
export function createInvoice(ctx: ServiceContext, input: InvoiceInput, now = new Date()): InvoiceView {
  const id = ctx.db.transaction((tx) => {
    const customer = assertCustomer(tx, ctx.orgId, input.customerId);
    const settings = readInvoiceSettings(tx, ctx.orgId);
    const issueDate = input.issueDate ?? todayUtc(now);
    const dueDate = input.dueDate ?? addDays(issueDate, settings.paymentTermDays);
    assertDates(issueDate, dueDate);
    const lines = lineValuesOf(input.lines, settings.defaultTaxRate);
    if (lines.some((line) => line.id !== undefined)) {
      throw invalid("lines", "A new invoice's lines have no ids yet.");
    }
    const invoice = tx
      .insert(invoices)
      .values({
        id: newId("inv", now.getTime()),
        orgId: ctx.orgId,
        number: takeInvoiceNumber(tx, ctx.orgId),
        customerId: customer.id,
        currency: input.currency ?? customer.currency,
        issueDate,
        dueDate,
        status: "draft",
        notes: input.notes ?? "",
        createdBy: ctx.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const saved = saveInvoiceLines(tx, invoice, [], lines, now);
    publishInvoiceEvent(
      tx,
      ctx,
      invoice,
      "invoice.created",
      `Invoice ${invoice.number} for ${customer.name} created`,
      { customerId: customer.id, total: saved.total, currency: invoice.currency },
      now,
    );
    return invoice.id;
  });
  return readBack(ctx, id);
}

/** Edits a draft (409 otherwise; 412 on a stale `ifMatch`); `lines`, when sent, replace the lines wholesale. */
export function updateInvoice(
  ctx: ServiceContext,
  id: string,
  input: UpdateInvoiceInput,
  ifMatch?: string,
  now = new Date(),
): InvoiceView {
  ctx.db.transaction((tx) => {
    const view = invoiceOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertIfMatch(ifMatch, invoiceEtag(view));
    const { invoice } = view;
    assertDraft(invoice, "edited");
    const changes: Partial<Invoice> = {};
    if (input.customerId !== undefined && input.customerId !== invoice.customerId) {
      changes.customerId = assertCustomer(tx, ctx.orgId, input.customerId).id;
    }
    if (input.currency !== undefined && input.currency !== invoice.currency) changes.currency = input.currency;
    if (input.issueDate !== undefined && input.issueDate !== invoice.issueDate) changes.issueDate = input.issueDate;
    if (input.dueDate !== undefined && input.dueDate !== invoice.dueDate) changes.dueDate = input.dueDate;
    if (input.notes !== undefined && input.notes !== invoice.notes) changes.notes = input.notes;
    assertDates(changes.issueDate ?? invoice.issueDate, changes.dueDate ?? invoice.dueDate);
    const fields = Object.keys(changes);
    if (fields.length > 0) {
      tx.update(invoices)
        .set({ ...changes, updatedAt: now })
        .where(eq(invoices.id, id))
        .run();
    }
    if (input.lines !== undefined) {
      const settings = readInvoiceSettings(tx, ctx.orgId);
      const saved = saveInvoiceLines(tx, invoice, view.lines, lineValuesOf(input.lines, settings.defaultTaxRate), now);
      fields.push("lines");
      if (saved.total !== invoice.total) fields.push("total");
    }
    if (fields.length === 0) return;
    publishInvoiceEvent(tx, ctx, invoice, "invoice.updated", `Invoice ${invoice.number} updated`, { fields }, now);
  });
  return readBack(ctx, id);
}

/** Deletes a draft (409 otherwise). Its number is not reused; its billed time becomes billable again. */
export function deleteInvoice(ctx: ServiceContext, id: string, now = new Date()): void {
  ctx.db.transaction((tx) => {
    const invoice = findInvoiceRow(tx, ctx.orgId, id);
    if (!invoice) throw notFound("invoice");
    assertDraft(invoice, "deleted");
    // Lines go with the invoice (ON DELETE CASCADE) and their time entries' invoice_line_id is set to null.
    tx.delete(invoices).where(eq(invoices.id, id)).run();
    publishInvoiceEvent(tx, ctx, invoice, "invoice.deleted", `Draft invoice ${invoice.number} deleted`, {}, now);
  });
}

function readBack(ctx: ServiceContext, id: string): InvoiceView {
  const view = findInvoiceById(ctx.db, ctx.orgId, id);
  if (!view) throw new AppError("internal", "The invoice could not be read back.");
  return view;
}
