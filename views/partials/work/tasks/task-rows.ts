import { priorityLabels, statusLabels } from "../../../../models/task-labels.ts";
import { escapeHtml } from "../../../../server/tools/html.ts";
import type { TaskRowView } from "../../../pages/work/tasks/types.ts";

/**
 * The rows of a task table as HTML text. The task list is the most used (and benchmarked) page:
 * JSX costs about ten times more than a template for fifty rows, so the rows are written as
 * text here, every value through escapeHtml. The markup matches badges.tsx.
 */

/** The due cell's text: the day, plus the time (UTC) unless it is the end of the day. */
export function dueText(date: Date, iso = date.toISOString()): string {
  const day = iso.slice(0, 10);
  return iso.slice(11, 23) === "23:59:59.999" ? day : `${day} ${iso.slice(11, 16)} UTC`;
}

function labelsHtml(labels: string[]): string {
  if (labels.length === 0) return "";
  let out = ' <span class="task-labels">';
  for (const label of labels) out += `<span class="task-label">${escapeHtml(label)}</span>`;
  return `${out}</span>`;
}

const STUCK_HTML =
  ' <span class="task-stuck" title="No activity for a while: flagged by the stuck-task agent">stuck</span>';

function dueHtml(row: TaskRowView): string {
  if (!row.dueAt) return '<span class="muted">—</span>';
  const overdue = row.overdue ? ' class="task-overdue"' : "";
  const iso = row.dueAt.toISOString();
  return `<time datetime="${iso}"${overdue}>${dueText(row.dueAt, iso)}${row.overdue ? " (overdue)" : ""}</time>`;
}

export function taskRowsHtml(rows: TaskRowView[]): string {
  let out = "";
  for (const row of rows) {
    const id = escapeHtml(row.id);
    out +=
      `<tr id="task-${id}"><td><a href="/tasks/${id}">${escapeHtml(row.title)}</a>${row.stuck ? STUCK_HTML : ""}${labelsHtml(row.labels)}</td>` +
      `<td><span class="task-status task-status-${row.status}">${statusLabels[row.status]}</span></td>` +
      `<td><span class="task-priority task-priority-${row.priority}">${priorityLabels[row.priority]}</span></td>` +
      `<td>${row.assigneeName === null ? '<span class="muted">Nobody</span>' : escapeHtml(row.assigneeName)}</td>` +
      `<td>${row.projectCode === null ? '<span class="muted">—</span>' : `<code>${escapeHtml(row.projectCode)}</code>`}</td>` +
      `<td class="nowrap">${dueHtml(row)}</td></tr>`;
  }
  return out;
}
