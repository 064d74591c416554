/** @jsxImportSource hono/jsx */
import type { InvoiceFormValues } from "../../../../server/work/invoices/invoice-form.ts";
import type { InvoiceTotals } from "../../../../server/work/invoices/totals.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import type { Errors } from "../../../partials/work/invoices/fields.tsx";
import { CurrencyList, Field, FormNotice, Select, TextArea } from "../../../partials/work/invoices/fields.tsx";
import { LineEditor, LiveTotals } from "../../../partials/work/invoices/line-editor.tsx";

export type InvoiceFormPageProps = {
  /** `new`: /invoices/new; otherwise the invoice being edited. */
  editing: { id: string; number: string } | null;
  values: InvoiceFormValues;
  errors: Errors;
  /** A form-level message (a stale edit, a refused change). */
  message: string | null;
  customers: { id: string; name: string; currency: string }[];
  currencies: readonly string[];
  /** The currency amounts are typed in now. */
  currency: string;
  totals: InvoiceTotals | null;
  paymentTermDays: number;
  csrf: string | null;
};

/** The invoice form (new and edit): customer, currency, dates, notes and the line editor. */
export function InvoiceFormPage(props: InvoiceFormPageProps) {
  const { values, errors, editing } = props;
  const action = editing ? `/invoices/${editing.id}/edit` : "/invoices";
  return (
    <article class="inv-page">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/invoices">Invoices</a>
            {editing ? (
              <>
                {" "}
                / <a href={`/invoices/${editing.id}`}>{editing.number}</a>
              </>
            ) : null}
          </p>
          <h1>{editing ? `Edit ${editing.number}` : "New invoice"}</h1>
        </div>
      </header>
      {props.customers.length === 0 ? (
        <p class="empty-state">
          An invoice needs a customer. <a href="/customers/new">Add your first customer</a>, then come back here.
        </p>
      ) : (
        <form method="post" action={action} hx-post={action} hx-target="#main" class="inv-form" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="etag" value={values.etag} />
          <FormNotice
            error={props.message ?? (Object.keys(errors).length > 0 ? "Please correct the marked fields." : null)}
          />
          <div class="grid">
            <Select
              label="Customer"
              name="customerId"
              value={values.customerId}
              blank="Choose a customer"
              choices={props.customers.map((customer) => ({
                value: customer.id,
                label: `${customer.name} (${customer.currency})`,
              }))}
              error={errors.customerId}
              required
            />
            <Field
              label="Currency"
              name="currency"
              value={values.currency}
              error={errors.currency}
              hint="ISO 4217; empty = the customer's currency."
              maxlength={3}
              list="invoice-currencies"
            />
          </div>
          <CurrencyList id="invoice-currencies" codes={props.currencies} />
          <div class="grid">
            <Field
              label="Issue date"
              name="issueDate"
              type="date"
              value={values.issueDate}
              error={errors.issueDate}
              hint="Empty = today."
            />
            <Field
              label="Due date"
              name="dueDate"
              type="date"
              value={values.dueDate}
              error={errors.dueDate}
              hint={`Empty = ${props.paymentTermDays} days after the issue date.`}
            />
          </div>
          <LineEditor lines={values.lines} errors={errors} currency={props.currency} totals={props.totals} />
          <LiveTotals currency={props.currency} totals={props.totals} />
          <TextArea
            label="Notes"
            name="notes"
            value={values.notes}
            error={errors.notes}
            hint="Printed on the invoice."
          />
          <div class="inv-form-actions">
            <button type="submit">{editing ? "Save changes" : "Create draft"}</button>
            <a href={editing ? `/invoices/${editing.id}` : "/invoices"}>Cancel</a>
          </div>
        </form>
      )}
    </article>
  );
}
