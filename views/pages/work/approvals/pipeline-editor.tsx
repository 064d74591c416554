/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import { StepRow } from "../../../partials/work/approvals/step-row.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";
import type { PipelineEditorProps } from "./types.ts";

const subjectChoices: { value: string; label: string }[] = [
  { value: "", label: "Any kind of request" },
  { value: "invoice", label: "Invoices" },
  { value: "timesheet", label: "Timesheets" },
  { value: "document", label: "Documents" },
  { value: "purchase", label: "Purchases" },
  { value: "other", label: "Free-form requests" },
];

/** Create or edit a pipeline: its name, what it is for, and its ordered steps. */
export function PipelineEditorPage(props: PipelineEditorProps) {
  const { values, errors } = props;
  const action = props.pipelineId ? `/approvals/pipelines/${props.pipelineId}` : "/approvals/pipelines";
  return (
    <section class="pipeline-editor">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/approvals">Approvals</a> › <a href="/approvals/pipelines">Pipelines</a>
      </nav>
      <h1>{props.pipelineId ? `Edit “${values.name}”` : "New approval pipeline"}</h1>
      {props.archived ? (
        <p class="form-message form-message-notice">
          This pipeline is archived: it takes no new requests. Requests under way finish as they started.
        </p>
      ) : null}
      <form id="pipeline-form" method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        {/* The first submit button is what Enter presses: make it "Save", not a row's "Up". */}
        <button type="submit" name="op" value="save" class="visually-hidden" tabindex={-1}>
          Save
        </button>
        <FormMessage error={errors.form} />
        <CsrfField token={props.csrf} />
        <input type="hidden" name="etag" value={props.etag} />
        <input type="hidden" name="stepCount" value={String(values.steps.length)} />
        <div class="grid">
          <label>
            Name
            <input
              type="text"
              name="name"
              value={values.name}
              maxlength={120}
              autocomplete="off"
              aria-invalid={errors.name ? "true" : undefined}
              aria-describedby={errors.name ? "name-error" : undefined}
            />
            {errors.name ? <small id="name-error">{errors.name}</small> : null}
          </label>
          <label>
            Used for
            <select name="subjectType" aria-describedby="subject-help">
              {subjectChoices.map((choice) => (
                <option value={choice.value} selected={choice.value === values.subjectType}>
                  {choice.label}
                </option>
              ))}
            </select>
            <small id="subject-help">{errors.subjectType ?? "Requests of this kind go through it by default."}</small>
          </label>
        </div>
        <label>
          Description
          <textarea name="description" rows={2} maxlength={2000}>
            {values.description}
          </textarea>
        </label>
        <h2 id="steps-heading">Steps, in order</h2>
        {errors.steps ? (
          <p class="form-message form-message-error" role="alert">
            {errors.steps}
          </p>
        ) : null}
        <ol class="step-rows" aria-labelledby="steps-heading">
          {values.steps.map((step, index) => (
            <StepRow index={index} count={values.steps.length} values={step} errors={errors} choices={props.choices} />
          ))}
        </ol>
        <p>
          <button type="submit" name="op" value="add" class="secondary add-step" disabled={values.steps.length >= 10}>
            + Add a step
          </button>
        </p>
        <div class="pipeline-editor-save">
          <button type="submit" name="op" value="save">
            {props.pipelineId ? "Save changes" : "Create pipeline"}
          </button>
          <a href="/approvals/pipelines">Back to the pipelines</a>
        </div>
      </form>
      {props.pipelineId && !props.archived ? (
        <form
          class="archive-pipeline"
          method="post"
          action={`/approvals/pipelines/${props.pipelineId}/archive`}
          hx-post={`/approvals/pipelines/${props.pipelineId}/archive`}
          hx-target="#main"
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary outline">
            Archive this pipeline
          </button>
        </form>
      ) : null}
    </section>
  );
}
