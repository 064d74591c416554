/** @jsxImportSource hono/jsx */

import { basisPointsToPercent, formatMoney } from "../../../../server/tools/money.ts";
import type { CustomerJson } from "../../../../server/work/invoices/customers.ts";
import type { invoiceJson } from "../../../../server/work/invoices/invoices.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { BillTimeForm, type BillTimeFormProps } from "../../../partials/work/invoices/bill-time-form.tsx";
import { FormNotice, InvoiceStatusBadge } from "../../../partials/work/invoices/fields.tsx";

export type InvoiceJson = ReturnType<typeof invoiceJson>;
export type InvoiceActions = {
  edit: boolean;
  submit: boolean;
  send: boolean;
  markPaid: boolean;
  void: boolean;
  delete: boolean;
};

export type InvoiceDetailProps = {
  invoice: InvoiceJson;
  customer: CustomerJson;
  actions: InvoiceActions;
  notice: string | null;
  error: string | null;
  csrf: string | null;
  /** The "bill time" form, on drafts only. */
  billTime: Omit<BillTimeFormProps, "invoiceId" | "csrf"> | null;
  /** Status changes and reminders, oldest first, with who did them (a person, an agent or Opsbox). */
  history: { text: string; by: string; at: Date }[];
};

/** /invoices/:id: the invoice, what may be done with it in its status, its documents. */
export function InvoiceDetailPage(props: InvoiceDetailProps) {
  const { invoice, customer } = props;
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  return (
    <article class="inv-page">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/invoices">Invoices</a>
          </p>
          <h1>
            Invoice {invoice.number} <InvoiceStatusBadge status={invoice.status} />
          </h1>
          <p class="inv-muted">
            {customer.name} · issued {invoice.issueDate} · due {invoice.dueDate} · {money(invoice.total)}
          </p>
        </div>
        <nav class="inv-actions" aria-label="Documents">
          <a href={`/api/v1/invoices/${invoice.id}/pdf`} download>
            PDF
          </a>
          <a href={`/invoices/${invoice.id}/print`}>Print view</a>
        </nav>
      </header>
      <FormNotice error={props.error} notice={props.notice} />
      <Actions invoice={invoice} actions={props.actions} csrf={props.csrf} customerHasEmail={customer.email !== null} />
      <section class="inv-parties grid">
        <div>
          <h2 class="inv-label">Bill to</h2>
          <p class="inv-address">
            <strong>{customer.name}</strong>
            {customer.address ? <span>{customer.address}</span> : null}
            {customer.email ? <span>{customer.email}</span> : <span class="inv-muted">No e-mail address</span>}
            {customer.taxId ? <span>Tax ID: {customer.taxId}</span> : null}
          </p>
          <p>
            <a href={`/customers/${customer.id}/edit`}>Edit customer</a>
          </p>
        </div>
        <dl class="inv-facts">
          <dt>Issue date</dt>
          <dd>{invoice.issueDate}</dd>
          <dt>Due date</dt>
          <dd>{invoice.dueDate}</dd>
          <dt>Currency</dt>
          <dd>{invoice.currency}</dd>
          {invoice.approvalRequestId ? (
            <>
              <dt>Approval</dt>
              <dd>
                <a href={`/approvals/${invoice.approvalRequestId}`}>See the approval request</a>
              </dd>
            </>
          ) : null}
          {invoice.sentAt ? (
            <>
              <dt>Sent</dt>
              <dd>{invoice.sentAt.slice(0, 16).replace("T", " ")} UTC</dd>
            </>
          ) : null}
          {invoice.paidAt ? (
            <>
              <dt>Paid</dt>
              <dd>{invoice.paidAt.slice(0, 16).replace("T", " ")} UTC</dd>
            </>
          ) : null}
        </dl>
      </section>
      <LinesTable invoice={invoice} />
      {invoice.notes ? (
        <section>
          <h2 class="inv-label">Notes</h2>
          <p class="inv-notes">{invoice.notes}</p>
        </section>
      ) : null}
      {props.billTime ? <BillTimeForm {...props.billTime} invoiceId={invoice.id} csrf={props.csrf} /> : null}
      <InvoiceHistory entries={props.history} />
    </article>
  );
}

function InvoiceHistory(props: { entries: InvoiceDetailProps["history"] }) {
  if (props.entries.length === 0) return null;
  return (
    <section id="invoice-history" aria-labelledby="invoice-history-heading">
      <h2 id="invoice-history-heading" class="inv-label">
        History
      </h2>
      <ol class="inv-history">
        {props.entries.map((entry) => (
          <li>
            <time datetime={entry.at.toISOString()}>{entry.at.toISOString().slice(0, 16).replace("T", " ")} UTC</time>{" "}
            {entry.text} — <span class="inv-history-by">{entry.by}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ActionButton(props: {
  invoiceId: string;
  action: string;
  label: string;
  csrf: string | null;
  confirm?: string;
  secondary?: boolean;
}) {
  const url = `/invoices/${props.invoiceId}/${props.action}`;
  return (
    <form method="post" action={url} hx-post={url} hx-target="#main" hx-confirm={props.confirm} class="inv-action">
      <CsrfField token={props.csrf} />
      <button type="submit" class={props.secondary ? "secondary outline" : undefined}>
        {props.label}
      </button>
    </form>
  );
}

function Actions(props: {
  invoice: InvoiceJson;
  actions: InvoiceActions;
  csrf: string | null;
  customerHasEmail: boolean;
}) {
  const { invoice, actions, csrf } = props;
  const id = invoice.id;
  const any = Object.values(actions).some(Boolean);
  if (!any) {
    return <p class="inv-muted">This invoice is {invoice.status === "paid" ? "paid" : "void"}: nothing more to do.</p>;
  }
  return (
    <section class="inv-action-bar" aria-label="Actions">
      {actions.edit ? (
        <a class="inv-button secondary" href={`/invoices/${id}/edit`}>
          Edit
        </a>
      ) : null}
      {actions.submit ? <ActionButton invoiceId={id} action="submit" label="Submit for approval" csrf={csrf} /> : null}
      {actions.send ? (
        <ActionButton
          invoiceId={id}
          action="send"
          label="Send to customer"
          csrf={csrf}
          confirm={props.customerHasEmail ? `Send ${invoice.number} to the customer by e-mail?` : undefined}
        />
      ) : null}
      {actions.markPaid ? <ActionButton invoiceId={id} action="mark-paid" label="Mark paid" csrf={csrf} /> : null}
      {actions.void ? (
        <ActionButton
          invoiceId={id}
          action="void"
          label="Void"
          csrf={csrf}
          secondary
          confirm={`Void ${invoice.number}? Its number stays used and its billed time becomes billable again.`}
        />
      ) : null}
      {actions.delete ? (
        <ActionButton
          invoiceId={id}
          action="delete"
          label="Delete draft"
          csrf={csrf}
          secondary
          confirm={`Delete the draft ${invoice.number}? Its number will not be reused.`}
        />
      ) : null}
    </section>
  );
}

/** Lines with their totals: an invoice's, or a supplier's bill's (the same shape). */
export function LinesTable(props: {
  invoice: Pick<InvoiceJson, "currency" | "lines" | "subtotal" | "tax" | "total">;
  empty?: string;
}) {
  const { invoice } = props;
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  if (invoice.lines.length === 0) {
    return (
      <p class="empty-state">
        {props.empty ?? "No lines yet. Edit the draft to add lines, or bill a project's time below."}
      </p>
    );
  }
  return (
    <div class="overflow-auto">
      <table class="inv-table inv-lines-read">
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
          {invoice.lines.map((line) => (
            <tr>
              <td>{line.description}</td>
              <td class="inv-num">{String(line.quantity)}</td>
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
            <td class="inv-num">{money(invoice.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row" colspan={4}>
              Tax
            </th>
            <td class="inv-num">{money(invoice.tax)}</td>
          </tr>
          <tr class="inv-total">
            <th scope="row" colspan={4}>
              Total
            </th>
            <td class="inv-num">{money(invoice.total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
