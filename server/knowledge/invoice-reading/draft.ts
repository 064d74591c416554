import { and, eq, sql } from "drizzle-orm";
import { customers } from "../../../models/billing.ts";
import type { Document } from "../../../models/knowledge.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { validationFailed } from "../../http/errors.ts";
import { formatMoney } from "../../tools/money.ts";
import { findCustomerById } from "../../work/invoices/customers.ts";
import { createInvoice } from "../../work/invoices/invoice-writes.ts";
import { invoiceInput, type LineInputBody } from "../../work/invoices/schemas.ts";
import type { ExtractInvoiceAnswer, InvoiceExtraction } from "./schemas.ts";

type Draft = NonNullable<ExtractInvoiceAnswer["draft"]>;

/** The largest unit price invoice lines accept (server/work/invoices/schemas.ts). */
const MAX_UNIT_PRICE = 1_000_000_000_000_000;

/**
 * Which customer a draft is for. The person's choice first; otherwise the one customer whose
 * name is exactly (ignoring case) the invoice's addressee, else its issuer (a supplier's bill
 * passed on to the customer it was for is filed under either). No guessing beyond that: with
 * no match, or two customers of the same name, the draft waits for a person to choose.
 */
export function matchCustomer(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  invoice: InvoiceExtraction,
  customerId?: string,
): { customerId: string; matchedBy: Draft["matchedBy"] } | null {
  if (customerId) return findCustomerById(ctx.db, ctx.orgId, customerId) ? { customerId, matchedBy: "request" } : null;
  for (const [name, matchedBy] of [
    [invoice.customer.name, "customer_name"],
    [invoice.vendor.name, "vendor_name"],
  ] as const) {
    if (!name) continue;
    const found = ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, ctx.orgId), sql`lower(trim(${customers.name})) = lower(${name.trim()})`))
      .limit(2)
      .all();
    if (found.length === 1 && found[0]) return { customerId: found[0].id, matchedBy };
  }
  return null;
}

/** A draft invoice for review from what was read; its number comes from the organisation's own sequence. */
export function createDraftInvoice(
  ctx: ServiceContext,
  document: Pick<Document, "id" | "title">,
  invoice: InvoiceExtraction,
  customer: { customerId: string; matchedBy: Draft["matchedBy"] },
): { draft: Draft; review: string[] } {
  const review: string[] = [];
  const dates =
    invoice.issueDate && invoice.dueDate && invoice.dueDate >= invoice.issueDate
      ? { issueDate: invoice.issueDate, dueDate: invoice.dueDate }
      : invoice.issueDate
        ? { issueDate: invoice.issueDate }
        : {};
  const read = [
    invoice.vendor.name ? `issued by ${invoice.vendor.name}` : null,
    invoice.number ? `number ${invoice.number}` : null,
    invoice.totals.total !== null && invoice.currency
      ? `total ${formatMoney(invoice.totals.total, invoice.currency)}`
      : null,
  ].filter(Boolean);
  const parsed = invoiceInput.safeParse({
    customerId: customer.customerId,
    ...(invoice.currency ? { currency: invoice.currency } : {}),
    ...dates,
    notes:
      `Drafted for review from the document “${document.title}” (${document.id})${read.length ? `: ${read.join(", ")}` : ""}.`.slice(
        0,
        5000,
      ),
    lines: linesOf(invoice),
  });
  if (!parsed.success) throw validationFailed(parsed.error);
  const view = createInvoice(ctx, parsed.data);
  if (invoice.totals.total !== null && view.invoice.total !== invoice.totals.total) {
    review.push("The draft's total differs from the total read from the document: check the lines and tax rates.");
  }
  if (!invoice.currency) review.push("No currency was read: the draft uses the customer's.");
  return {
    draft: {
      invoiceId: view.invoice.id,
      number: view.invoice.number,
      customerId: view.invoice.customerId,
      matchedBy: customer.matchedBy,
      href: `/invoices/${view.invoice.id}`,
    },
    review,
  };
}

/** The read lines as invoice lines; with none, one line for the whole amount. */
function linesOf(invoice: InvoiceExtraction): LineInputBody[] {
  const lines = invoice.lines.map((line, index): LineInputBody => {
    const quantity = line.quantity !== null ? Math.round(line.quantity * 1000) / 1000 || 1 : 1;
    const price = line.unitPrice ?? (line.amount !== null ? Math.round(line.amount / quantity) : 0);
    // Beyond what an invoice line may hold, the number was misread: zero, for a person to fill in.
    const unitPrice = Math.abs(price) <= MAX_UNIT_PRICE ? price : 0;
    return { description: line.description || `Line ${index + 1}`, quantity, unitPrice };
  });
  if (lines.length > 0) return lines;
  const amount = invoice.totals.subtotal ?? invoice.totals.total;
  if (amount === null || Math.abs(amount) > MAX_UNIT_PRICE) return [];
  const what = [
    invoice.number ? `Invoice ${invoice.number}` : "Invoice",
    invoice.vendor.name ? `from ${invoice.vendor.name}` : null,
  ];
  return [{ description: what.filter(Boolean).join(" "), quantity: 1, unitPrice: amount }];
}
