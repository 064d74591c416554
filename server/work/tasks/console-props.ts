import type { Context } from "hono";
import { agentLabel } from "../../../models/agents.ts";
import { type Task, type TaskStatus, taskStatuses } from "../../../models/work.ts";
import type { BoardColumnView } from "../../../views/pages/work/tasks/board.tsx";
import type { TaskFormPageProps } from "../../../views/pages/work/tasks/form.tsx";
import type { TaskListPageProps } from "../../../views/pages/work/tasks/list.tsx";
import type { MyWorkProps } from "../../../views/pages/work/tasks/mine.tsx";
import type { TaskPageProps } from "../../../views/pages/work/tasks/task.tsx";
import type {
  FieldErrors,
  ProjectChoice,
  TaskFilterValues,
  TaskFormValues,
  TaskRowView,
} from "../../../views/pages/work/tasks/types.ts";
import type { CommentsSectionProps } from "../../../views/partials/work/tasks/comments.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { latestEventId } from "../../events/ids.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import { renderMarkdown } from "../../tools/markdown.ts";
import { queryString } from "../../tools/query-string.ts";
import { findProjectByCode } from "../projects/search.ts";
import { canAssignTo, canManageTasks, canWriteTask } from "./access.ts";
import { listTaskChanges } from "./changes.ts";
import { listComments } from "./comments.ts";
import { isOverdue, nameBook, peopleChoices, projectChoices, weekOf } from "./console-data.ts";
import { assigneesOf, describeChange } from "./console-history.ts";
import { boardColumn, boardColumns, listMyOpenTasks, type listTaskSummaries } from "./list.ts";
import type { TaskSummary } from "./rows.ts";
import { taskEtag } from "./service.ts";
import { isStuck } from "./stuck.ts";

/** The task pages' props: records (tasks, comments, changes, people, projects) as the views show them. */

/** Tasks as the list, board and My work show them. */
export function rowViews(
  tasks: TaskSummary[],
  names: Map<string, string>,
  projectList: ProjectChoice[],
  now: Date,
): TaskRowView[] {
  const codes = new Map(projectList.map((project) => [project.id, project.code]));
  return tasks.map((task) => ({
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    assigneeName: task.assigneeId ? (names.get(task.assigneeId) ?? "Someone") : null,
    projectCode: task.projectId ? (codes.get(task.projectId) ?? null) : null,
    dueAt: task.dueAt,
    labels: task.labels,
    overdue: isOverdue(task, now),
    stuck: isStuck(task),
  }));
}

const SHOWN = 200;

/** The comments part of a task page, for the page, the comment form's answer and the live stream. */
export function commentsProps(
  ctx: ServiceContext,
  csrf: string | null,
  task: Task,
  draft = "",
  error: string | null = null,
): CommentsSectionProps {
  const comments = listComments(ctx, task.id, { limit: SHOWN }).data;
  const book = nameBook(
    ctx.db,
    ctx.orgId,
    [],
    comments.map((comment) => comment.authorId),
  );
  return {
    taskId: task.id,
    comments: comments.map((comment) => ({
      id: comment.id,
      authorName: comment.authorId ? (book.get(comment.authorId) ?? "Someone") : "Opsbox",
      createdAt: comment.createdAt,
      bodyHtml: renderMarkdown(comment.body),
    })),
    canComment: canWriteTask(ctx, task),
    csrf,
    draft,
    error,
  };
}

/** Everything a task page shows but its messages and its live connection. */
export function taskPageProps(
  ctx: ServiceContext,
  csrf: string | null,
  task: Task,
  now = new Date(),
): Omit<TaskPageProps, "notice" | "error" | "streamUrl"> {
  const people = peopleChoices(ctx.db, ctx.orgId);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const changes = listTaskChanges(ctx.db, task.id, { limit: SHOWN }).data;
  const names = nameBook(ctx.db, ctx.orgId, people, [
    task.assigneeId,
    task.reporterId,
    ...changes.flatMap((change) => [change.actorId, ...assigneesOf(change)]),
  ]);
  const project = projects.find((choice) => choice.id === task.projectId);
  const [row] = rowViews([task], names, projects, now);
  if (!row) throw new AppError("internal", "The task could not be shown.");
  return {
    task: {
      ...row,
      overdue: isOverdue(task, now),
      descriptionHtml: renderMarkdown(task.description),
      assigneeId: task.assigneeId,
      projectId: task.projectId,
      projectLabel: project ? `${project.code} · ${project.name}` : null,
      reporterName: task.reporterId ? (names.get(task.reporterId) ?? "Someone") : null,
      estimateMinutes: task.estimateMinutes,
      completedAt: task.completedAt,
      lastActivityAt: task.lastActivityAt,
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
    },
    comments: commentsProps(ctx, csrf, task),
    history: changes.map((change) => ({
      id: change.id,
      actorName: change.actorId
        ? (names.get(change.actorId) ?? "Someone")
        : change.actorAgentId
          ? agentLabel(change.actorAgentId)
          : "Opsbox",
      text: describeChange(change, names, projects),
      at: change.createdAt,
    })),
    assignees: people.filter((person) => canAssignTo(ctx, person.id) || person.id === task.assigneeId),
    canWrite: canWriteTask(ctx, task),
    canDelete: canManageTasks(ctx),
    csrf,
  };
}

/** Cards shown per column; a move's place counts among these (see boardColumn). */
const CARDS_SHOWN = 50;

/**
 * Columns as the board shows them, for the page and for its live stream (which asks for the
 * columns an event changed): without a project filter each column is one indexed read.
 */
export function boardColumnViews(
  ctx: ServiceContext,
  projectId: string,
  statuses: readonly TaskStatus[] = taskStatuses,
  now = new Date(),
): BoardColumnView[] {
  const byStatus: Partial<Record<TaskStatus, Task[]>> =
    projectId || statuses.length === taskStatuses.length
      ? boardColumns(ctx.db, ctx.orgId, projectId || undefined)
      : Object.fromEntries(statuses.map((status) => [status, boardColumn(ctx.db, ctx.orgId, status)]));
  const columns = statuses.map((status) => ({ status, tasks: (byStatus[status] ?? []).slice(0, CARDS_SHOWN) }));
  const people = peopleChoices(ctx.db, ctx.orgId);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const names = nameBook(
    ctx.db,
    ctx.orgId,
    people,
    columns.flatMap((column) => column.tasks.map((task) => task.assigneeId)),
  );
  return columns.map((column) => ({
    status: column.status,
    cards: rowViews(column.tasks, names, projects, now).map((row, index) => {
      const task = column.tasks[index];
      return { ...row, canMove: task ? canWriteTask(ctx, task) : false };
    }),
    moreHref:
      (byStatus[column.status]?.length ?? 0) > CARDS_SHOWN
        ? `/tasks${queryString({ status: column.status, projectId })}`
        : null,
  }));
}

/** What My work shows: the page, and its live stream each time my tasks change. */
export function myWorkView(ctx: ServiceContext, myName: string, now = new Date()): MyWorkProps {
  const tasks = listMyOpenTasks(ctx);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const rows = rowViews(tasks, new Map([[ctx.userId, myName]]), projects, now);
  const weekEnd = weekOf(now).end.getTime();
  const groups = {
    overdue: [] as typeof rows,
    week: [] as typeof rows,
    later: [] as typeof rows,
    none: [] as typeof rows,
  };
  tasks.forEach((task, index) => {
    const row = rows[index];
    if (!row) return;
    if (!task.dueAt) groups.none.push(row);
    else if (isOverdue(task, now)) groups.overdue.push(row);
    else if (task.dueAt.getTime() <= weekEnd) groups.week.push(row);
    else groups.later.push(row);
  });
  return { groups, total: tasks.length, canCreate: ctx.permissions.has("tasks.write") };
}

/** The task as the form shows it; `projectCode` is its project's code (the project field). */
export function formValuesOf(task: Task, projectCode: string | null): TaskFormValues {
  return {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    projectId: task.projectId ?? "",
    project: projectCode ?? "",
    assigneeId: task.assigneeId ?? "",
    dueAt: task.dueAt ? task.dueAt.toISOString().slice(0, 10) : "",
    estimateMinutes: task.estimateMinutes === null ? "" : String(task.estimateMinutes),
    labels: task.labels.join(", "),
  };
}

/** The task form as drawn: new or edit, with what was typed and why it was refused. */
export type TaskFormState = {
  mode: "new" | "edit";
  task: Task | null;
  values: TaskFormValues;
  errors?: FieldErrors;
  formError?: string;
};

/** What the task form shows: the values, the people this person may assign, the project's label. */
export function taskFormProps(c: Context<AppEnv>, state: TaskFormState): TaskFormPageProps {
  const ctx = serviceContext(c);
  const people = peopleChoices(ctx.db, ctx.orgId);
  const current = state.task?.assigneeId ?? null;
  const project = state.values.project ? findProjectByCode(ctx, state.values.project) : null;
  return {
    mode: state.mode,
    taskId: state.task?.id ?? null,
    values: state.values,
    errors: state.errors ?? {},
    formError: state.formError ?? null,
    assignees: people.filter((person) => canAssignTo(ctx, person.id) || person.id === current),
    projectLabel: project ? `${project.code} · ${project.name}` : null,
    csrf: formCsrf(c),
    etag: state.task ? taskEtag(state.task) : null,
  };
}

/** The query parameters of a list page: its filters (the form's and the API's) and its cursor. */
const listParams = [
  "q",
  "status",
  "assigneeId",
  "projectId",
  "label",
  "due",
  "dueBefore",
  "dueAfter",
  "overdue",
  "cursor",
];

/** The list page with the same filters and page as `query` (other parameters are dropped). */
export function listHrefOf(query: Record<string, string | undefined>): string {
  return `/tasks${queryString(Object.fromEntries(listParams.map((name) => [name, query[name]?.slice(0, 500)])))}`;
}

/** The task list: a page of tasks (or none, when the filters were refused), the choices to filter by, its links. */
export function taskListProps(
  c: Context<AppEnv>,
  state: {
    page: ReturnType<typeof listTaskSummaries>;
    values: TaskFilterValues;
    errors: FieldErrors;
    filters: Record<string, string>;
    cursor: string | undefined;
    now: Date;
  },
): TaskListPageProps {
  const ctx = serviceContext(c);
  const { page, values, errors, filters, cursor, now } = state;
  const people = peopleChoices(ctx.db, ctx.orgId);
  const projects = projectChoices(ctx.db, ctx.orgId);
  const names = nameBook(
    ctx.db,
    ctx.orgId,
    people,
    page.data.map((task) => task.assigneeId),
  );
  const latest = latestEventId(ctx);
  const streamQuery = listHrefOf({ ...filters, cursor }).slice("/tasks".length);
  const live = c.var.auth?.via === "session";
  return {
    rows: rowViews(page.data, names, projects, now),
    filters: values,
    errors,
    people,
    projects,
    nextHref: page.nextCursor ? `/tasks${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    firstHref: cursor ? `/tasks${queryString(filters)}` : null,
    canCreate: ctx.permissions.has("tasks.write"),
    // It counts the tasks changed after the newest event when this page was drawn.
    streamUrl: live ? `/tasks/stream${streamQuery}${streamQuery ? "&" : "?"}after=${latest}` : null,
  };
}
