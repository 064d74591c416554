/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { CurrencyList, type Errors, Field, FormNotice } from "../../../partials/work/invoices/fields.tsx";

export type InvoiceSettingsValues = {
  prefix: string;
  paymentTermDays: string;
  defaultCurrency: string;
  /** Percent, as typed. */
  defaultTaxRate: string;
  etag: string;
};

export type InvoiceSettingsProps = {
  values: InvoiceSettingsValues;
  errors: Errors;
  notice: string | null;
  message: string | null;
  /** What the next invoice will be numbered. */
  nextInvoiceNumber: string;
  currencies: readonly string[];
  csrf: string | null;
};

/** /invoices/settings: numbering prefix, payment term, default currency and tax rate. */
export function InvoiceSettingsPage(props: InvoiceSettingsProps) {
  const { values, errors } = props;
  return (
    <article class="inv-page inv-narrow">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/invoices">Invoices</a>
          </p>
          <h1>Numbering and defaults</h1>
        </div>
      </header>
      <p>
        The next invoice will be <strong class="inv-next-number">{props.nextInvoiceNumber}</strong>. Numbers come from
        one sequence per organisation and are never reused, even when a draft is deleted; a new prefix applies from the
        next invoice on.
      </p>
      <form method="post" action="/invoices/settings" hx-post="/invoices/settings" hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="etag" value={values.etag} />
        <FormNotice
          error={props.message ?? (Object.keys(errors).length > 0 ? "Please correct the marked fields." : null)}
          notice={props.notice}
        />
        <Field
          label="Number prefix"
          name="prefix"
          value={values.prefix}
          error={errors.prefix}
          hint="Letters, digits, spaces and . _ / # -, e.g. INV-2026-."
          maxlength={20}
        />
        <div class="grid">
          <Field
            label="Payment term (days)"
            name="paymentTermDays"
            value={values.paymentTermDays}
            error={errors.paymentTermDays}
            inputmode="numeric"
            hint="Due date = issue date + this many days."
          />
          <Field
            label="Default currency"
            name="defaultCurrency"
            value={values.defaultCurrency}
            error={errors.defaultCurrency}
            maxlength={3}
            list="settings-currencies"
            hint="For new customers."
          />
          <Field
            label="Default tax rate (%)"
            name="defaultTaxRate"
            value={values.defaultTaxRate}
            error={errors.defaultTaxRate}
            inputmode="decimal"
            hint="For new lines, e.g. 20 or 7.5."
          />
        </div>
        <CurrencyList id="settings-currencies" codes={props.currencies} />
        <button type="submit">Save</button>
      </form>
    </article>
  );
}
