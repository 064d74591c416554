/** @jsxImportSource hono/jsx */
import type { InvoiceStatus } from "../../../../models/billing.ts";

import {
  type FieldErrors,
  type Option,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../components/form-fields.tsx";

/** Form fields of the invoice and customer forms: the shared fields, under the names these forms use. */

export type Errors = FieldErrors;
export type Choice = Option;

/** A single-line field (the shared one). */
export const Field = TextField;

/** A text area, three rows unless told. */
export function TextArea(props: Parameters<typeof TextAreaField>[0]) {
  return <TextAreaField {...props} rows={props.rows ?? 3} />;
}

/** A choice among `choices`. */
export function Select(props: Omit<Parameters<typeof SelectField>[0], "options"> & { choices: Choice[] }) {
  const { choices, ...rest } = props;
  return <SelectField {...rest} options={choices} />;
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
