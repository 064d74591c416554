/** @jsxImportSource hono/jsx */
import { basisPointsToPercent, formatMoney } from "../../../../server/tools/money.ts";
import type { billJson } from "../../../../server/work/bills/bills.ts";
import { FormNotice } from "../../../partials/work/invoices/fields.tsx";
import { BillAction, BillStatusBadge, ConfidenceText } from "./bill-parts.tsx";

export type BillJson = ReturnType<typeof billJson>;

export type BillDetailProps = {
  bill: BillJson;
  title: string;
  /** Who entered it: a person's name or an agent's ("Document inbox"). */
  createdBy: string;
  /** The document it was read from, when the caller may open it. */
  source: { title: string; href: string } | null;
  actions: { edit: boolean; submit: boolean; markPaid: boolean };
  notice: string | null;
  error: string | null;
  csrf: string | null;
};

/** /bills/:id: the bill, its lines, where it came from and how sure the reading was. */
export function BillDetailPage(props: BillDetailProps) {
  const { bill, actions } = props;
  const money = (minor: number) => formatMoney(minor, bill.currency);
  return (
    <article class="inv-page">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/bills">Bills</a>
          </p>
          <h1>
            {props.title} <BillStatusBadge status={bill.status} />
          </h1>
          <p class="inv-muted">
            Entered by {props.createdBy} · {money(bill.total)}
          </p>
        </div>
      </header>
      <FormNotice error={props.error} notice={props.notice} />
      <section class="inv-action-bar" aria-label="Actions">
        {actions.edit ? (
          <a class="inv-button secondary" href={`/bills/${bill.id}/edit`}>
            Edit
          </a>
        ) : null}
        {actions.submit ? (
          <BillAction billId={bill.id} action="submit" label="Send for approval" csrf={props.csrf} />
        ) : null}
        {actions.markPaid ? (
          <BillAction billId={bill.id} action="mark-paid" label="Mark paid" csrf={props.csrf} />
        ) : null}
      </section>
      <dl class="inv-facts">
        <dt>Supplier</dt>
        <dd>{bill.supplierName}</dd>
        <dt>Supplier's number</dt>
        <dd>{bill.number || "—"}</dd>
        <dt>Issue date</dt>
        <dd>{bill.issueDate ?? "—"}</dd>
        <dt>Due date</dt>
        <dd>{bill.dueDate ?? "—"}</dd>
        <dt>Currency</dt>
        <dd>{bill.currency}</dd>
        {props.source ? (
          <>
            <dt>Read from</dt>
            <dd>
              <a href={props.source.href}>{props.source.title}</a>
            </dd>
          </>
        ) : null}
        {bill.approvalRequestId ? (
          <>
            <dt>Approval</dt>
            <dd>
              <a href={`/approvals/${bill.approvalRequestId}`}>See the approval request</a>
            </dd>
          </>
        ) : null}
      </dl>
      {bill.confidence !== null ? (
        <section aria-label="Confidence">
          <h2 class="inv-label">
            Read with <ConfidenceText confidence={bill.confidence} /> confidence
          </h2>
          {bill.confidenceNotes.length > 0 ? (
            <ul>
              {bill.confidenceNotes.map((note) => (
                <li>{note}</li>
              ))}
            </ul>
          ) : (
            <p class="inv-muted">Every field was read and the amounts add up.</p>
          )}
        </section>
      ) : null}
      <div class="overflow-auto">
        <table class="inv-table">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" class="inv-num">
                Quantity
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
            {bill.lines.map((line) => (
              <tr>
                <td>{line.description}</td>
                <td class="inv-num">{line.quantity}</td>
                <td class="inv-num">{money(line.unitPrice)}</td>
                <td class="inv-num">{basisPointsToPercent(line.taxRate)} %</td>
                <td class="inv-num">{money(line.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan={4}>
                Subtotal
              </th>
              <td class="inv-num">{money(bill.subtotal)}</td>
            </tr>
            <tr>
              <th scope="row" colspan={4}>
                Tax
              </th>
              <td class="inv-num">{money(bill.tax)}</td>
            </tr>
            <tr>
              <th scope="row" colspan={4}>
                Total
              </th>
              <td class="inv-num">{money(bill.total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {bill.notes ? <p class="inv-notes">{bill.notes}</p> : null}
    </article>
  );
}
