/** @jsxImportSource hono/jsx */
import type { InvoiceStatus } from "../../../../models/billing.ts";

/** Form fields of the invoice and customer forms: a label, the control, then the error or hint. */

export type Errors = Record<string, string | undefined>;
export type Choice = { value: string; label: string };

function helpId(name: string, error?: string, hint?: string): string | undefined {
  return error || hint ? `${name.replaceAll(".", "-")}-help` : undefined;
}

function Help(props: { name: string; error?: string | undefined; hint?: string | undefined }) {
  const id = helpId(props.name, props.error, props.hint);
  return id ? <small id={id}>{props.error ?? props.hint}</small> : null;
}

export function Field(props: {
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

export function TextArea(props: {
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
        rows={props.rows ?? 3}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={helpId(props.name, props.error, props.hint)}
      >
        {props.value}
      </textarea>
      <Help name={props.name} error={props.error} hint={props.hint} />
    </label>
  );
}

export function Select(props: {
  label: string;
  name: string;
  value: string;
  choices: Choice[];
  error?: string | undefined;
  hint?: string;
  /** A first option with the value "". */
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
        {props.blank === undefined ? null : <option value="">{props.blank}</option>}
        {props.choices.map((choice) => (
          <option value={choice.value} selected={choice.value === props.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <Help name={props.name} error={props.error} hint={props.hint} />
    </label>
  );
}

/** Every ISO 4217 code, offered while typing a currency. */
export function CurrencyList(props: { id: string; codes: readonly string[] }) {
  return (
    <datalist id={props.id}>
      {props.codes.map((code) => (
        <option value={code} />
      ))}
    </datalist>
  );
}

export function CsrfInput(props: { token: string | null }) {
  return props.token ? <input type="hidden" name="_csrf" value={props.token} /> : null;
}

export function FormNotice(props: { error?: string | null; notice?: string | null }) {
  if (props.error) {
    return (
      <p class="form-message form-message-error" role="alert">
        {props.error}
      </p>
    );
  }
  if (props.notice) {
    return (
      <p class="form-message form-message-notice" role="status">
        {props.notice}
      </p>
    );
  }
  return null;
}

export const invoiceStatusLabels: Record<InvoiceStatus, string> = {
  draft: "Draft",
  pending_approval: "Pending approval",
  approved: "Approved",
  sent: "Sent",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

export function InvoiceStatusBadge(props: { status: InvoiceStatus }) {
  return <span class={`inv-status inv-status-${props.status}`}>{invoiceStatusLabels[props.status]}</span>;
}
