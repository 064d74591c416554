/** @jsxImportSource hono/jsx */
import { formatMoney } from "../../../../server/tools/money.ts";
import type { billJson } from "../../../../server/work/bills/bills.ts";
import { FormNotice } from "../../../partials/work/invoices/fields.tsx";
import { LinesTable } from "../invoices/invoice-detail.tsx";
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
      <LinesTable invoice={bill} empty="No lines yet. Edit the draft to add them." />
      {bill.notes ? <p class="inv-notes">{bill.notes}</p> : null}
    </article>
  );
}
