/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { type Errors, Field, Select } from "./fields.tsx";

export type BillTimeValues = { projectId: string; from: string; to: string; unitPrice: string; taxRate: string };

export type BillTimeFormProps = {
  invoiceId: string;
  projects: { id: string; name: string }[];
  values: BillTimeValues;
  errors: Errors;
  currency: string;
  csrf: string | null;
};

/** On a draft: turn a project's billable, unbilled hours in a date range into lines. */
export function BillTimeForm(props: BillTimeFormProps) {
  const url = `/invoices/${props.invoiceId}/lines-from-time`;
  const { values, errors } = props;
  return (
    <section class="inv-bill-time" aria-labelledby="bill-time-heading">
      <h2 id="bill-time-heading">Bill a project's time</h2>
      {props.projects.length === 0 ? (
        <p class="inv-muted">
          No projects yet: time is logged against projects, and billable hours can be billed here.
        </p>
      ) : (
        <form method="post" action={url} hx-post={url} hx-target="#main" novalidate>
          <CsrfField token={props.csrf} />
          <p class="inv-muted">
            One line per task (and one for time without a task); each entry is billed once and marked as billed.
          </p>
          <div class="grid">
            <Select
              label="Project"
              name="projectId"
              value={values.projectId}
              blank="Choose a project"
              choices={props.projects.map((project) => ({ value: project.id, label: project.name }))}
              error={errors.projectId}
            />
            <Field label="From" name="from" type="date" value={values.from} error={errors.from} />
            <Field label="To" name="to" type="date" value={values.to} error={errors.to} />
          </div>
          <div class="grid">
            <Field
              label={`Hourly rate (${props.currency})`}
              name="unitPrice"
              value={values.unitPrice}
              error={errors.unitPrice}
              inputmode="decimal"
            />
            <Field
              label="Tax %"
              name="taxRate"
              value={values.taxRate}
              error={errors.taxRate}
              inputmode="decimal"
              hint="Empty = the default tax rate."
            />
          </div>
          <button type="submit" class="secondary">
            Add lines from time
          </button>
        </form>
      )}
    </section>
  );
}
