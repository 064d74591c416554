/** @jsxImportSource hono/jsx */
import type { FieldErrors, Option } from "../../../components/form-fields.tsx";

export type { Option } from "../../../components/form-fields.tsx";
// The shared fields, under the names the projects, teams and equipment forms use.
export { SelectField, TextAreaField, TextField } from "../../../components/form-fields.tsx";
export type FormErrors = FieldErrors;

/** A group of checkboxes (people, projects): keyboard-friendly where a multiple select is not. */
export function CheckboxGroup(props: {
  legend: string;
  name: string;
  options: Option[];
  checked: readonly string[];
  error?: string | undefined;
  empty?: string;
}) {
  return (
    <fieldset class="work-checkboxes" aria-invalid={props.error ? "true" : undefined}>
      <legend>{props.legend}</legend>
      {props.options.length === 0 ? <p class="empty-state">{props.empty ?? "Nothing to choose yet."}</p> : null}
      {props.options.map((option) => (
        <label>
          <input
            type="checkbox"
            name={props.name}
            value={option.value}
            checked={props.checked.includes(option.value)}
          />
          {option.label}
        </label>
      ))}
      {props.error ? <small class="work-checkboxes-error">{props.error}</small> : null}
    </fieldset>
  );
}
