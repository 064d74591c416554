/** @jsxImportSource hono/jsx */
import type { BillFormValues } from "../../../../server/work/bills/bill-form.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import type { Errors } from "../../../partials/work/invoices/fields.tsx";
import { CurrencyList, Field, FormNotice, TextArea } from "../../../partials/work/invoices/fields.tsx";

export type BillFormPageProps = {
  /** null: /bills/new; otherwise the bill being edited. */
  editing: { id: string; title: string } | null;
  values: BillFormValues;
  errors: Errors;
  message: string | null;
  currencies: readonly string[];
  csrf: string | null;
};

const lineFields = [
  ["description", "Description"],
  ["quantity", "Quantity"],
  ["unitPrice", "Unit price"],
  ["taxRate", "Tax %"],
] as const;

/** The bill form (new and edit): supplier, number, dates, currency, lines (with spare rows) and notes. */
export function BillFormPage(props: BillFormPageProps) {
  const { values, errors, editing } = props;
  const action = editing ? `/bills/${editing.id}/edit` : "/bills";
  return (
    <article class="inv-page">
      <header class="inv-header">
        <div>
          <p class="inv-breadcrumb">
            <a href="/bills">Bills</a>
          </p>
          <h1>{editing ? `Edit ${editing.title}` : "New bill"}</h1>
        </div>
      </header>
      <form method="post" action={action} hx-post={action} hx-target="#main" class="inv-form" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="etag" value={values.etag} />
        <FormNotice
          error={props.message ?? (Object.keys(errors).length > 0 ? "Please correct the marked fields." : null)}
        />
        <div class="grid">
          <Field
            label="Supplier"
            name="supplierName"
            value={values.supplierName}
            error={errors.supplierName}
            required
          />
          <Field label="Supplier's bill number" name="number" value={values.number} error={errors.number} />
        </div>
        <div class="grid">
          <Field label="Issue date" name="issueDate" type="date" value={values.issueDate} error={errors.issueDate} />
          <Field label="Due date" name="dueDate" type="date" value={values.dueDate} error={errors.dueDate} />
          <Field
            label="Currency"
            name="currency"
            value={values.currency}
            error={errors.currency}
            maxlength={3}
            list="bill-currencies"
            required
          />
        </div>
        <CurrencyList id="bill-currencies" codes={props.currencies} />
        <fieldset>
          <legend>Lines</legend>
          {errors.lines ? (
            <p class="inv-error" role="alert">
              {errors.lines}
            </p>
          ) : null}
          <table class="inv-lines-table">
            <thead>
              <tr>
                {lineFields.map(([, label]) => (
                  <th scope="col">{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {values.lines.map((line, index) => (
                <tr class="inv-line">
                  {lineFields.map(([field, label]) => {
                    const name = `lines.${index}.${field}`;
                    return (
                      <td>
                        <input
                          type="text"
                          name={name}
                          value={line[field]}
                          aria-label={`${label} of line ${index + 1}`}
                          aria-invalid={errors[name] ? "true" : undefined}
                        />
                        {errors[name] ? <small>{errors[name]}</small> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="inv-muted">Rows left empty are dropped. Save to get more empty rows.</p>
        </fieldset>
        <TextArea label="Notes" name="notes" value={values.notes} error={errors.notes} />
        <div class="inv-form-actions">
          <button type="submit">{editing ? "Save changes" : "Save draft"}</button>
          <a href={editing ? `/bills/${editing.id}` : "/bills"}>Cancel</a>
        </div>
      </form>
    </article>
  );
}
