import type { TaskPriority, TaskStatus } from "./work.ts";

/** Words people read for the stored values: the console and event summaries use the same. */
export const statusLabels: Record<TaskStatus, string> = {
  todo: "To do",
  in_progress: "In progress",
  blocked: "Blocked",
  review: "Review",
  done: "Done",
};

export const priorityLabels: Record<TaskPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

/** Names of the fields in the history timeline. */
export const fieldLabels: Record<string, string> = {
  created: "Created",
  title: "Title",
  description: "Description",
  status: "Status",
  priority: "Priority",
  projectId: "Project",
  assigneeId: "Assignee",
  dueAt: "Due",
  estimateMinutes: "Estimate",
  labels: "Labels",
};
