/** @jsxImportSource hono/jsx */
import type { EquipmentStatus } from "../../../../models/work.ts";
import { formatDay } from "../../../../server/tools/days.ts";

export const equipmentStatusLabels: Record<EquipmentStatus, string> = {
  in_service: "In service",
  in_repair: "In repair",
  out_of_service: "Out of service",
  retired: "Retired",
};

export function EquipmentStatusBadge(props: { status: EquipmentStatus }) {
  return <span class={`status equipment-status-${props.status}`}>{equipmentStatusLabels[props.status]}</span>;
}

/** How many days the warranty still runs (negative once it ended), or null without a warranty. */
export function warrantyDaysLeft(warrantyEnd: string | null, today: string): number | null {
  if (!warrantyEnd) return null;
  const days = (Date.parse(`${warrantyEnd}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return Number.isNaN(days) ? null : Math.round(days);
}

/** The warranty's end: highlighted when it ends within 30 days, marked once it has ended. */
export function Warranty(props: { warrantyEnd: string | null; today: string }) {
  const days = warrantyDaysLeft(props.warrantyEnd, props.today);
  if (days === null) return <span class="muted">—</span>;
  const date = <span class="nowrap">{formatDay(props.warrantyEnd)}</span>;
  if (days < 0) {
    return (
      <span class="warranty warranty-expired">
        {date} <strong>Expired</strong>
      </span>
    );
  }
  if (days <= 30) {
    return (
      <mark class="warranty warranty-soon">
        {date} <strong>{days === 0 ? "Ends today" : `Ends in ${days} day${days === 1 ? "" : "s"}`}</strong>
      </mark>
    );
  }
  return <span class="warranty">{date}</span>;
}
