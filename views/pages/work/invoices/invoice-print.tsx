/** @jsxImportSource hono/jsx */

import { basisPointsToPercent, formatMoney } from "../../../../server/tools/money.ts";
import type { CustomerJson } from "../../../../server/work/invoices/customers.ts";
import { assets } from "../../../assets.ts";
import { invoiceStatusLabels } from "../../../partials/work/invoices/fields.tsx";
import type { InvoiceJson } from "./invoice-detail.tsx";

export type InvoicePrintProps = {
  invoice: InvoiceJson;
  customer: Pick<CustomerJson, "name" | "email" | "address" | "taxId">;
  organizationName: string;
};

/**
 * /invoices/:id/print: the invoice as a document of its own, without the console around it,
 * styled for paper by the print rules of app.css. The browser's Print prints it.
 */
export function InvoicePrintDocument(props: InvoicePrintProps) {
  const { invoice, customer } = props;
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const marked = invoice.status === "draft" || invoice.status === "void";
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{`Invoice ${invoice.number} · ${props.organizationName}`}</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.pico} />
        <link rel="stylesheet" href={assets.css} />
      </head>
      <body class="inv-print">
        <p class="inv-print-back">
          <a href={`/invoices/${invoice.id}`}>← Back to the invoice</a> · Use your browser's Print (Ctrl+P or ⌘P) to
          print or save as PDF.
        </p>
        <main class="inv-sheet">
          <header class="inv-sheet-header">
            <div>
              <h1 class="inv-sheet-org">{props.organizationName}</h1>
            </div>
            <div class="inv-sheet-meta">
              <h2>Invoice</h2>
              {marked ? <p class="inv-sheet-mark">{invoiceStatusLabels[invoice.status]}</p> : null}
              <dl>
                <dt>Number</dt>
                <dd>{invoice.number}</dd>
                <dt>Issue date</dt>
                <dd>{invoice.issueDate}</dd>
                <dt>Due date</dt>
                <dd>{invoice.dueDate}</dd>
              </dl>
            </div>
          </header>
          <section class="inv-sheet-customer">
            <h3>Bill to</h3>
            <p class="inv-address">
              <strong>{customer.name}</strong>
              {customer.address ? <span>{customer.address}</span> : null}
              {customer.email ? <span>{customer.email}</span> : null}
              {customer.taxId ? <span>Tax ID: {customer.taxId}</span> : null}
            </p>
          </section>
          <table class="inv-sheet-lines">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" class="inv-num">
                  Qty
                </th>
                <th scope="col" class="inv-num">
                  Unit price
                </th>
                <th scope="col" class="inv-num">
                  Tax
                </th>
                <th scope="col" class="inv-num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line) => (
                <tr>
                  <td>{line.description}</td>
                  <td class="inv-num">{String(line.quantity)}</td>
                  <td class="inv-num">{money(line.unitPrice)}</td>
                  <td class="inv-num">{basisPointsToPercent(line.taxRate)}%</td>
                  <td class="inv-num">{money(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl class="inv-sheet-totals">
            <dt>Subtotal</dt>
            <dd>{money(invoice.subtotal)}</dd>
            <dt>Tax</dt>
            <dd>{money(invoice.tax)}</dd>
            <dt class="inv-total">Total ({invoice.currency})</dt>
            <dd class="inv-total">{money(invoice.total)}</dd>
          </dl>
          {invoice.notes ? <p class="inv-notes">{invoice.notes}</p> : null}
        </main>
      </body>
    </html>
  );
}
