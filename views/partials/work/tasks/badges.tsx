/** @jsxImportSource hono/jsx */

import { priorityLabels, statusLabels } from "../../../../models/task-labels.ts";
import type { TaskPriority, TaskStatus } from "../../../../models/work.ts";
import { dueText } from "./task-rows.ts";

export function StatusBadge(props: { status: TaskStatus }) {
  return <span class={`task-status task-status-${props.status}`}>{statusLabels[props.status]}</span>;
}

export function PriorityBadge(props: { priority: TaskPriority }) {
  return <span class={`task-priority task-priority-${props.priority}`}>{priorityLabels[props.priority]}</span>;
}

/** A due moment as people read it: the day, plus the time (UTC) unless it is the end of the day. */
export const formatDue = dueText;

export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function DueDate(props: { dueAt: Date | null; overdue: boolean }) {
  if (!props.dueAt) return <span class="muted">—</span>;
  return (
    <time datetime={props.dueAt.toISOString()} class={props.overdue ? "task-overdue" : undefined}>
      {formatDue(props.dueAt)}
      {props.overdue ? " (overdue)" : ""}
    </time>
  );
}

export function Labels(props: { labels: string[] }) {
  if (props.labels.length === 0) return null;
  return (
    <span class="task-labels">
      {props.labels.map((label) => (
        <span class="task-label">{label}</span>
      ))}
    </span>
  );
}

/** The stuck-task agent's flag (the list's rows write the same markup in task-rows.ts). */
export function StuckBadge(props: { stuck: boolean }) {
  if (!props.stuck) return null;
  return (
    <span class="task-stuck" title="No activity for a while: flagged by the stuck-task agent">
      stuck
    </span>
  );
}
