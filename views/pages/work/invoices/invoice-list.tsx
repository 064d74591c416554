/** @jsxImportSource hono/jsx */
import type { InvoiceStatus } from "../../../../models/billing.ts";
import { formatMoney } from "../../../../server/tools/money.ts";
import { InvoiceStatusBadge, invoiceStatusLabels, Select } from "../../../partials/work/invoices/fields.tsx";

export type InvoiceListRow = {
  id: string;
  number: string;
  customerName: string;
  status: InvoiceStatus;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: number;
};

export type InvoiceListProps = {
  rows: InvoiceListRow[];
  status: InvoiceStatus | "";
  /** The next (older) page, or null. */
  moreHref: string | null;
  /** The CSV export of the same filter. */
  csvHref: string;
  /** Sum of the shown invoices' totals, per currency. */
  pageTotals: { currency: string; total: number }[];
  hasCustomers: boolean;
};

const statusChoices = Object.entries(invoiceStatusLabels).map(([value, label]) => ({ value, label }));

/** /invoices: the organisation's invoices, newest first, filtered by status. */
export function InvoiceListPage(props: InvoiceListProps) {
  return (
    <article class="inv-page">
      <header class="inv-header">
        <h1>Invoices</h1>
        <nav class="inv-actions" aria-label="Invoice tools">
          <a href="/customers">Customers</a>
          <a href="/invoices/settings">Numbering and defaults</a>
          <a href={props.csvHref} download>
            Export CSV
          </a>
          <a class="inv-button" href="/invoices/new">
            New invoice
          </a>
        </nav>
      </header>
      <form method="get" action="/invoices" class="inv-filters" aria-label="Filter invoices">
        <Select label="Status" name="status" value={props.status} choices={statusChoices} blank="All statuses" />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.rows.length === 0 ? <EmptyState {...props} /> : <InvoiceTable {...props} />}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>Older invoices</a>
        </p>
      ) : null}
    </article>
  );
}

function EmptyState(props: InvoiceListProps) {
  if (props.status) {
    return (
      <p class="empty-state">
        No {invoiceStatusLabels[props.status].toLowerCase()} invoices. <a href="/invoices">Show all invoices</a>.
      </p>
    );
  }
  return (
    <div class="empty-state">
      <p>No invoices yet.</p>
      <p>
        {props.hasCustomers ? (
          <>
            <a href="/invoices/new">Create the first invoice</a>: choose a customer, add lines, and submit it for
            approval before sending.
          </>
        ) : (
          <>
            Start by <a href="/customers/new">adding a customer</a>; then create an invoice for them.
          </>
        )}
      </p>
    </div>
  );
}

function InvoiceTable(props: InvoiceListProps) {
  return (
    <div class="overflow-auto">
      <table class="inv-table">
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Issued</th>
            <th scope="col">Due</th>
            <th scope="col" class="inv-num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr id={`invoice-${row.id}`}>
              <td>
                <a href={`/invoices/${row.id}`}>{row.number}</a>
              </td>
              <td>{row.customerName}</td>
              <td>
                <InvoiceStatusBadge status={row.status} />
              </td>
              <td>{row.issueDate}</td>
              <td>{row.dueDate}</td>
              <td class="inv-num">{formatMoney(row.total, row.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {props.pageTotals.map((sum) => (
            <tr>
              <th scope="row" colspan={5}>
                Total of these invoices ({sum.currency})
              </th>
              <td class="inv-num">{formatMoney(sum.total, sum.currency)}</td>
            </tr>
          ))}
        </tfoot>
      </table>
    </div>
  );
}
