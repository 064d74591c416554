/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type ServingField = { name: string; label: string; hint: string; min: number; max: number; step: number };

export type ServingFormProps = {
  fields: ServingField[];
  /** What was typed or is stored, as text; threads empty = physical cores. */
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The physical cores, for the threads hint. */
  physicalCores: number;
  /** OPSBOX_AI_THREADS, when the operator pinned it. */
  threadsFromEnvironment: number | null;
  notice: string | null;
  csrf: string | null;
  /** Only the box's instance admin may change them; other admins see them. */
  canChange: boolean;
};

/** How the box serves its models: every value within bounds that keep it safe. */
export function ServingForm(props: ServingFormProps) {
  const threadsError = props.errors.threads;
  const threadsHint = props.threadsFromEnvironment
    ? `OPSBOX_AI_THREADS pins ${props.threadsFromEnvironment} thread(s); this value applies without it.`
    : `Empty uses the physical cores (${props.physicalCores}). More than that only slows every answer.`;
  return (
    <form
      id="ai-serving-form"
      method="post"
      action="/settings/ai/serving"
      hx-post="/settings/ai/serving"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <FormMessage error={props.errors.form} notice={props.notice} />
      <CsrfField token={props.csrf} />
      <fieldset class="grid policy-grid" disabled={props.canChange ? undefined : true}>
        <label>
          Threads
          <input
            type="number"
            name="threads"
            value={props.values.threads ?? ""}
            min={1}
            max={256}
            step={1}
            inputmode="numeric"
            placeholder={String(props.physicalCores)}
            aria-invalid={threadsError ? "true" : undefined}
            aria-describedby="threads-help"
          />
          <small id="threads-help">{threadsError ?? threadsHint}</small>
        </label>
        {props.fields.map((field) => {
          const error = props.errors[field.name];
          return (
            <label>
              {field.label}
              <input
                type="number"
                name={field.name}
                value={props.values[field.name] ?? ""}
                min={field.min}
                max={field.max}
                step={field.step}
                required
                aria-invalid={error ? "true" : undefined}
                aria-describedby={`${field.name}-help`}
              />
              <small id={`${field.name}-help`}>{error ?? `${field.hint} ${field.min}–${field.max}.`}</small>
            </label>
          );
        })}
      </fieldset>
      {props.canChange ? <button type="submit">Save serving settings</button> : null}
    </form>
  );
}
