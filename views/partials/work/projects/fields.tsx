/** @jsxImportSource hono/jsx */
/** Form fields of the workspace forms (projects, teams, equipment): a label, the control, then the error or hint. */

export type FormErrors = Record<string, string | undefined>;
export type Option = { value: string; label: string };

function helpId(name: string, error?: string, hint?: string): string | undefined {
  return error || hint ? `${name}-help` : undefined;
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
  type?: "text" | "date";
  required?: boolean;
  maxlength?: number;
  autofocus?: boolean;
  placeholder?: string;
  autocomplete?: string;
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
}) {
  return (
    <label>
      {props.label}
      <select
        name={props.name}
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

export function Csrf(props: { csrf: string | null }) {
  return props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null;
}

/** A day `YYYY-MM-DD` as "31 Mar 2026" (UTC, so it never shifts by a day). */
export function formatDay(day: string | null): string {
  if (!day) return "—";
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}
