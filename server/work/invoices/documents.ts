import { eq } from "drizzle-orm";
import { organizations } from "../../../models/identity.ts";
import type { Queryable } from "../../db.ts";
import { customerOrNotFound } from "./customers.ts";
import { invoiceOrNotFound } from "./invoices.ts";
import type { InvoicePdfInput } from "./pdf.ts";

/** Everything an invoice document (the PDF, the printable page) shows; 404 for another organisation's invoice. */
export function invoiceDocument(ctx: { db: Queryable; orgId: string }, id: string): InvoicePdfInput {
  const view = invoiceOrNotFound(ctx, id);
  const customer = customerOrNotFound(ctx, view.invoice.customerId);
  const organization = ctx.db.select().from(organizations).where(eq(organizations.id, ctx.orgId)).get();
  return {
    view,
    organizationName: organization?.name ?? "",
    customer: { name: customer.name, email: customer.email, address: customer.address, taxId: customer.taxId },
  };
}

/** The invoice as a PDF file. */
export async function invoicePdf(
  ctx: { db: Queryable; orgId: string },
  id: string,
): Promise<{ bytes: Uint8Array; fileName: string }> {
  const document = invoiceDocument(ctx, id);
  // Loaded on the first PDF, not at start: pdf-lib costs about 20 MB and 50 ms to load.
  const { invoicePdfFileName, renderInvoicePdf } = await import("./pdf.ts");
  return { bytes: await renderInvoicePdf(document), fileName: invoicePdfFileName(document.view.invoice.number) };
}
