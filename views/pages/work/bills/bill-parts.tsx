/** @jsxImportSource hono/jsx */
import { type BillStatus, billStatusLabels } from "../../../../models/bills.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";

export const billStatusChoices = Object.entries(billStatusLabels).map(([value, label]) => ({ value, label }));

export function BillStatusBadge(props: { status: BillStatus }) {
  return <span class={`inv-status inv-status-${props.status}`}>{billStatusLabels[props.status]}</span>;
}

/** "93 %", or a dash for a bill a person typed. */
export function ConfidenceText(props: { confidence: number | null }) {
  return <>{props.confidence === null ? "—" : `${Math.round(props.confidence * 100)} %`}</>;
}

/** One status action of a bill, as a small form (works with and without htmx). */
export function BillAction(props: { billId: string; action: string; label: string; csrf: string | null }) {
  const url = `/bills/${props.billId}/${props.action}`;
  return (
    <form method="post" action={url} hx-post={url} hx-target="#main" class="inv-action">
      <CsrfField token={props.csrf} />
      <button type="submit">{props.label}</button>
    </form>
  );
}
