/** @jsxImportSource hono/jsx */
import type { ApprovalStatusName } from "../../../pages/work/approvals/types.ts";

const labels: Record<ApprovalStatusName, string> = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  cancelled: "Cancelled",
};

/** A request's status as a small coloured label (the word carries the meaning, not the colour). */
export function StatusBadge(props: { status: ApprovalStatusName }) {
  return <span class={`status approval-status-${props.status}`}>{labels[props.status]}</span>;
}
