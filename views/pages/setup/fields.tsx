/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

export type FieldProps = {
  name: string;
  label: string;
  value?: string;
  error?: string | undefined;
  hint?: Child;
  type?: "text" | "email" | "password" | "number" | "url";
  autocomplete?: string;
  inputmode?: "numeric" | "text" | "email";
  placeholder?: string;
  autofocus?: boolean;
};

/** A labelled input with its hint, or its error in place of the hint, right under it. */
export function Field(props: FieldProps) {
  const helpId = `${props.name}-help`;
  const help = props.error ?? props.hint;
  return (
    <label>
      {props.label}
      <input
        type={props.type ?? "text"}
        name={props.name}
        id={props.name}
        value={props.type === "password" ? undefined : (props.value ?? "")}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        placeholder={props.placeholder}
        autofocus={props.autofocus}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={help ? helpId : undefined}
      />
      {help ? (
        <small id={helpId} class={props.error ? "field-error" : undefined}>
          {help}
        </small>
      ) : null}
    </label>
  );
}

/** An error that belongs to a group of choices (radios, checkboxes) rather than one input. */
export function GroupError(props: { name: string; error?: string | undefined }) {
  if (!props.error) return null;
  return (
    <small id={`${props.name}-help`} class="field-error" role="alert">
      {props.error}
    </small>
  );
}
