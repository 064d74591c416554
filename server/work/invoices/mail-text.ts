import type { Invoice } from "../../../models/billing.ts";
import { formatMoney } from "../../tools/money.ts";

/** The plain-text e-mail that goes with an invoice. */
export function invoiceMailText(input: { invoice: Invoice; customerName: string; organizationName: string }): string {
  const { invoice } = input;
  return [
    `Dear ${input.customerName},`,
    "",
    `please find invoice ${invoice.number} from ${input.organizationName}.`,
    "",
    `Issue date: ${invoice.issueDate}`,
    `Due date:   ${invoice.dueDate}`,
    `Subtotal:   ${formatMoney(invoice.subtotal, invoice.currency)}`,
    `Tax:        ${formatMoney(invoice.tax, invoice.currency)}`,
    `Total:      ${formatMoney(invoice.total, invoice.currency)}`,
    "",
    "Please pay by the due date, quoting the invoice number.",
    "",
    `${input.organizationName}`,
  ].join("\n");
}
