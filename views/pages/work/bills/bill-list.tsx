/** @jsxImportSource hono/jsx */
import type { BillStatus } from "../../../../models/bills.ts";
import { formatMoney } from "../../../../server/tools/money.ts";
import { Select } from "../../../partials/work/invoices/fields.tsx";
import { BillStatusBadge, billStatusChoices, ConfidenceText } from "./bill-parts.tsx";

export type BillListRow = {
  id: string;
  title: string;
  status: BillStatus;
  dueDate: string | null;
  currency: string;
  total: number;
  confidence: number | null;
  createdBy: string;
};

export type BillListProps = { rows: BillListRow[]; status: BillStatus | ""; moreHref: string | null };

/** /bills: suppliers' bills, newest first, filtered by status. */
export function BillListPage(props: BillListProps) {
  return (
    <article class="inv-page">
      <header class="inv-header">
        <h1>Bills</h1>
        <nav class="inv-actions" aria-label="Bill tools">
          <a class="inv-button" href="/bills/new">
            New bill
          </a>
        </nav>
      </header>
      <form method="get" action="/bills" class="inv-filters" aria-label="Filter bills">
        <Select label="Status" name="status" value={props.status} choices={billStatusChoices} blank="All statuses" />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.rows.length === 0 ? (
        <p class="empty-state">
          {props.status ? (
            <>
              No bills with this status. <a href="/bills">Show all bills</a>.
            </>
          ) : (
            <>
              No bills yet. <a href="/bills/new">Enter a supplier's bill</a>, or switch on the Document inbox agent to
              read bills from uploaded and mailed documents.
            </>
          )}
        </p>
      ) : (
        <div class="overflow-auto">
          <table class="inv-table">
            <thead>
              <tr>
                <th scope="col">Bill</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col">Read with confidence</th>
                <th scope="col">Entered by</th>
                <th scope="col" class="inv-num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr id={`bill-${row.id}`}>
                  <td>
                    <a href={`/bills/${row.id}`}>{row.title}</a>
                  </td>
                  <td>
                    <BillStatusBadge status={row.status} />
                  </td>
                  <td>{row.dueDate ?? "—"}</td>
                  <td>
                    <ConfidenceText confidence={row.confidence} />
                  </td>
                  <td>{row.createdBy}</td>
                  <td class="inv-num">{formatMoney(row.total, row.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>Older bills</a>
        </p>
      ) : null}
    </article>
  );
}
