/** @jsxImportSource hono/jsx */
/** Form fields of the workspace forms: a label, the control, then the error or hint. */

export type FieldErrors = Record<string, string | undefined>;
export type Option = { value: string; label: string };

/** The id of a field's error or hint (`lines.0.quantity` → `lines-0-quantity-help`). */
function helpId(name: string, error?: string, hint?: string): string | undefined {
  return error || hint ? `${name.replaceAll(".", "-")}-help` : undefined;
}

function Help(props: { name: string; error?: string | undefined; hint?: string | undefined }) {
  const id = helpId(props.name, props.error, props.hint);
  return id ? <small id={id}>{props.error ?? props.hint}</small> : null;
}

export function TextField(props: {
  label: string;
  name: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  type?: "text" | "date" | "email" | "tel";
  required?: boolean;
  maxlength?: number;
  autofocus?: boolean;
  placeholder?: string;
  autocomplete?: string;
  inputmode?: "decimal" | "numeric" | "text";
  list?: string;
}) {
  return (
    <label>
      {props.label}
      <input
        type={props.type ?? "text"}
        name={props.name}
        value={props.value}
        required={props.required}
        maxlength={props.maxlength}
        autofocus={props.autofocus}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? "off"}
        inputmode={props.inputmode}
        list={props.list}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId(props.name, props.error, props.hint)}
      />
      <Help name={props.name} error={props.error} hint={props.hint} />
    </label>
  );
}

export function TextAreaField(props: {
  label: string;
  name: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  rows?: number;
}) {
  return (
    <label>
      {props.label}
      <textarea
        name={props.name}
        rows={props.rows ?? 4}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId(props.name, props.error, props.hint)}
      >
        {props.value}
      </textarea>
      <Help name={props.name} error={props.error} hint={props.hint} />
    </label>
  );
}

export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  options: Option[];
  error?: string | undefined;
  hint?: string;
  /** A first option with the value "" (e.g. "No owner"). */
  blank?: string;
  required?: boolean;
}) {
  return (
    <label>
      {props.label}
      <select
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId(props.name, props.error, props.hint)}
      >
        {props.blank !== undefined ? (
          <option value="" selected={props.value === ""}>
            {props.blank}
          </option>
        ) : null}
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Help name={props.name} error={props.error} hint={props.hint} />
    </label>
  );
}
