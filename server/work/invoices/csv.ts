import { csvCell, csvLine } from "../../audit/csv.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { minorToDecimal } from "../../tools/money.ts";
import { type InvoiceRow, listInvoices } from "./invoices.ts";
import type { InvoiceFilters } from "./schemas.ts";

const PAGE_SIZE = 500;

export const invoiceCsvColumns = [
  "id",
  "number",
  "status",
  "customer_id",
  "customer_name",
  "currency",
  "issue_date",
  "due_date",
  "subtotal_minor",
  "tax_minor",
  "total_minor",
  "total",
  "sent_at",
  "paid_at",
  "created_at",
] as const;

/**
 * One record. Text goes through csvCell's formula defusing (a customer named "=HYPERLINK(…)"
 * reaches the spreadsheet as text); money is written as bare integers and a decimal: numbers,
 * never formulas, even when negative, so they are not prefixed.
 */
function csvRecord(row: InvoiceRow): string {
  const { invoice } = row;
  const number = (value: string) => ({ number: value });
  const cells: unknown[] = [
    invoice.id,
    invoice.number,
    invoice.status,
    invoice.customerId,
    row.customerName,
    invoice.currency,
    invoice.issueDate,
    invoice.dueDate,
    number(String(invoice.subtotal)),
    number(String(invoice.tax)),
    number(String(invoice.total)),
    number(minorToDecimal(invoice.total, invoice.currency)),
    invoice.sentAt,
    invoice.paidAt,
    invoice.createdAt,
  ];
  const text = cells.map((cell) =>
    typeof cell === "object" && cell !== null && "number" in cell ? String(cell.number) : csvCell(cell),
  );
  return `${text.join(",")}\r\n`;
}

/** The invoices matching the list's filters as CSV, newest first, streamed a page at a time. */
export function exportInvoicesCsv(ctx: ServiceContext, filters: InvoiceFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(invoiceCsvColumns)));
    },
    pull(controller) {
      if (done) {
        controller.close();
        return;
      }
      const page = listInvoices(ctx, { ...filters, cursor, limit: PAGE_SIZE });
      controller.enqueue(encoder.encode(page.data.map(csvRecord).join("")));
      cursor = page.nextCursor ?? undefined;
      done = page.nextCursor === null;
    },
  });
}
