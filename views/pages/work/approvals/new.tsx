/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";
import type { NewApprovalProps } from "./types.ts";

/** Ask for approval of a purchase or anything else; a refused form comes back as it was typed. */
export function NewApprovalPage(props: NewApprovalProps) {
  const { values, errors } = props;
  return (
    <section class="approval-new">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/approvals">Approvals</a>
      </nav>
      <h1>New approval request</h1>
      <p class="muted">
        For a purchase or anything else. Invoices, timesheets and documents are submitted from their own pages.
      </p>
      <form
        id="new-approval-form"
        method="post"
        action="/approvals/new"
        hx-post="/approvals/new"
        hx-target="#main"
        novalidate
      >
        <FormMessage error={errors.form} />
        <CsrfField token={props.csrf} />
        <fieldset>
          <legend>What is it?</legend>
          <label>
            <input type="radio" name="subjectType" value="purchase" checked={values.subjectType !== "other"} />A
            purchase
          </label>
          <label>
            <input type="radio" name="subjectType" value="other" checked={values.subjectType === "other"} />
            Something else (free-form)
          </label>
          {errors.subjectType ? <small class="field-error">{errors.subjectType}</small> : null}
        </fieldset>
        <Field label="Title" name="title" value={values.title} error={errors.title} maxlength={200} />
        <div class="grid">
          <Field
            label="Amount"
            name="amount"
            value={values.amount}
            error={errors.amount}
            hint="For example 1299.50; required for a purchase."
            inputmode="decimal"
            maxlength={20}
          />
          <Field
            label="Currency"
            name="currency"
            value={values.currency}
            error={errors.currency}
            hint="ISO code, such as EUR."
            maxlength={3}
          />
        </div>
        <label>
          Details
          <textarea
            name="details"
            rows={4}
            maxlength={5000}
            aria-invalid={errors.details ? "true" : undefined}
            aria-describedby={errors.details ? "details-help" : undefined}
          >
            {values.details}
          </textarea>
          {errors.details ? <small id="details-help">{errors.details}</small> : null}
        </label>
        <label>
          Pipeline
          <select
            name="pipelineId"
            aria-invalid={errors.pipelineId ? "true" : undefined}
            aria-describedby="pipeline-help"
          >
            <option value="">Automatic: the pipeline for this kind of request</option>
            {props.pipelines.map((pipeline) => (
              <option value={pipeline.id} selected={pipeline.id === values.pipelineId}>
                {pipeline.name} ({pipeline.subjectLabel})
              </option>
            ))}
          </select>
          <small id="pipeline-help">
            {errors.pipelineId ?? "Who approves, step by step. Someone else must approve: never you."}
          </small>
        </label>
        <button type="submit">Ask for approval</button>
      </form>
    </section>
  );
}

function Field(props: {
  label: string;
  name: string;
  value: string;
  error: string | undefined;
  hint?: string;
  maxlength: number;
  inputmode?: "decimal";
}) {
  const helpId = `${props.name}-help`;
  const help = props.error ?? props.hint;
  return (
    <label>
      {props.label}
      <input
        type="text"
        name={props.name}
        value={props.value}
        maxlength={props.maxlength}
        inputmode={props.inputmode}
        autocomplete="off"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={help ? helpId : undefined}
      />
      {help ? <small id={helpId}>{help}</small> : null}
    </label>
  );
}
