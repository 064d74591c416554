import type { TaskPriority, TaskStatus } from "../../../../models/work.ts";

/** What the task views show: plain data, prepared by server/work/tasks/console-*.ts. */

export type Choice = { id: string; name: string };
export type ProjectChoice = { id: string; code: string; name: string; archived: boolean };

/** A task as a row or card: names resolved, times as Date. */
export type TaskRowView = {
  id: string;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeName: string | null;
  projectCode: string | null;
  dueAt: Date | null;
  labels: string[];
  overdue: boolean;
  /** Flagged by the stuck-task agent and quiet since. */
  stuck: boolean;
};

export type FieldErrors = Partial<Record<string, string>>;

/** The list's filters as the form shows them (raw text, as typed). */
export type TaskFilterValues = {
  q: string;
  status: string;
  assigneeId: string;
  projectId: string;
  label: string;
  due: string;
};

/** The task form's fields as text, so that a refused form shows exactly what was typed. */
export type TaskFormValues = {
  title: string;
  description: string;
  status: string;
  priority: string;
  projectId: string;
  /** The project field: a project's code as typed (it sets projectId when the form is posted). */
  project: string;
  assigneeId: string;
  dueAt: string;
  estimateMinutes: string;
  labels: string;
};

export type CommentView = { id: string; authorName: string; createdAt: Date; bodyHtml: string };

/** One line of the history: "Ada changed Status from To do to Done". */
export type HistoryEntryView = { id: string; actorName: string; text: string; at: Date };

/** A task as its page shows it: names and labels resolved, the description rendered (safe HTML). */
export type TaskDetailView = TaskRowView & {
  descriptionHtml: string;
  assigneeId: string | null;
  projectId: string | null;
  projectLabel: string | null;
  reporterName: string | null;
  estimateMinutes: number | null;
  completedAt: Date | null;
  lastActivityAt: Date;
  createdAt: Date;
  updatedAt: Date;
};
