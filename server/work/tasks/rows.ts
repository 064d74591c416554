import { type Task, tasks } from "../../../models/work.ts";

/** A tasks row as bun:sqlite returns it (column names, driver values). */
export type TaskRow = {
  id: string;
  org_id: string;
  project_id: string | null;
  title: string;
  description: string;
  status: Task["status"];
  priority: Task["priority"];
  assignee_id: string | null;
  reporter_id: string | null;
  due_at: number | null;
  estimate_minutes: number | null;
  labels: string;
  position: number;
  completed_at: number | null;
  last_activity_at: number;
  stuck_at: number | null;
  created_at: number;
  updated_at: number;
};

/** The Task of a raw row: what drizzle's mapping does for this table, without its per-column machinery. */
export function taskFromRow(row: TaskRow): Task {
  return {
    ...taskSummaryFromRow(row),
    orgId: row.org_id,
    description: row.description,
    reporterId: row.reporter_id,
    estimateMinutes: row.estimate_minutes,
    position: row.position,
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The columns a row of a task list shows (the console's list page reads only these). */
export const summaryColumns = {
  id: tasks.id,
  title: tasks.title,
  status: tasks.status,
  priority: tasks.priority,
  assigneeId: tasks.assigneeId,
  projectId: tasks.projectId,
  dueAt: tasks.dueAt,
  labels: tasks.labels,
  lastActivityAt: tasks.lastActivityAt,
  stuckAt: tasks.stuckAt,
};

export type TaskSummary = Pick<Task, keyof typeof summaryColumns>;

/** A row of the summary query carries only the summary columns; a full row works too. */
export function taskSummaryFromRow(row: TaskRow): TaskSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    priority: row.priority,
    assigneeId: row.assignee_id,
    projectId: row.project_id,
    dueAt: row.due_at === null ? null : new Date(row.due_at),
    labels: JSON.parse(row.labels) as string[],
    lastActivityAt: new Date(row.last_activity_at),
    stuckAt: row.stuck_at === null ? null : new Date(row.stuck_at),
  };
}
