import { fieldLabels, priorityLabels, statusLabels } from "../../../models/task-labels.ts";
import type { TaskChange, TaskPriority, TaskStatus } from "../../../models/work.ts";
import type { ProjectChoice } from "../../../views/pages/work/tasks/types.ts";
import { formatDue } from "../../../views/partials/work/tasks/badges.tsx";
import { changeJson } from "./changes.ts";

/** A history row as a sentence after the actor's name: "changed Status from To do to Done". */
export function describeChange(change: TaskChange, names: Map<string, string>, projects: ProjectChoice[]): string {
  const { field, from, to } = changeJson(change);
  if (field === "created") return "created the task";
  if (field === "description") return "changed the description";
  if (field === "stuck") return `flagged the task as stuck: ${String(to)}`;
  const show = (value: unknown): string => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return "none";
    switch (field) {
      case "status":
        return statusLabels[value as TaskStatus] ?? String(value);
      case "priority":
        return priorityLabels[value as TaskPriority] ?? String(value);
      case "assigneeId":
        return names.get(String(value)) ?? "someone";
      case "projectId":
        return projects.find((project) => project.id === value)?.code ?? "a deleted project";
      case "dueAt":
        return formatDue(new Date(String(value)));
      case "estimateMinutes":
        return `${value} min`;
      case "labels":
        return Array.isArray(value) ? value.join(", ") : String(value);
      default:
        return `“${String(value)}”`;
    }
  };
  return `changed ${fieldLabels[field] ?? field} from ${show(from)} to ${show(to)}`;
}

/** The people a reassignment row names (values are JSON text). */
export function assigneesOf(change: TaskChange): (string | null)[] {
  if (change.field !== "assigneeId") return [];
  return [change.fromValue, change.toValue].map((value) => (value ? (JSON.parse(value) as string) : null));
}
