/** @jsxImportSource hono/jsx */
import type { ApprovalUrgencyName } from "../../../pages/work/approvals/types.ts";

/** How urgent the waiting step has become (the approval nudger's level), as a small label. */
export function UrgencyBadge(props: { urgency: ApprovalUrgencyName | null }) {
  if (!props.urgency) return null;
  return (
    <span class={`approval-urgency approval-urgency-${props.urgency}`} title="Urgency from the approval nudger">
      {props.urgency}
    </span>
  );
}
