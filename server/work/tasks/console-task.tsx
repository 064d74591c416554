/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Task, TaskChange } from "../../../models/work.ts";
import { TaskPage, type TaskPageProps } from "../../../views/pages/work/tasks/task.tsx";
import { CommentsSection, type CommentsSectionProps } from "../../../views/partials/work/tasks/comments.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { renderPage } from "../../console/render.tsx";
import { latestEventId } from "../../events/ids.ts";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import type { FormContext, FormRefusal, FormSpec } from "../../http/validate-form.ts";
import { canAssignTo, canManageTasks, canWriteTask, taskContext } from "./access.ts";
import { listTaskChanges } from "./changes.ts";
import { addComment, listComments } from "./comments.ts";
import { isOverdue, nameBook, peopleChoices, projectChoices, rowViews } from "./console-data.ts";
import { describeChange } from "./console-history.ts";
import { renderMarkdown } from "./markdown.ts";
import type { commentInput, updateTaskInput } from "./schemas.ts";
import { taskOrNotFound } from "./service.ts";
import { updateTask } from "./update.ts";

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

/** The people a reassignment row names (values are JSON text). */
function assigneesOf(change: TaskChange): (string | null)[] {
  if (change.field !== "assigneeId") return [];
  return [change.fromValue, change.toValue].map((value) => (value ? (JSON.parse(value) as string) : null));
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
      actorName: change.actorId ? (names.get(change.actorId) ?? "Someone") : "Opsbox",
      text: describeChange(change, names, projects),
      at: change.createdAt,
    })),
    assignees: people.filter((person) => canAssignTo(ctx, person.id) || person.id === task.assigneeId),
    canWrite: canWriteTask(ctx, task),
    canDelete: canManageTasks(ctx),
    csrf,
  };
}

/** GET /tasks/:id, and the answer of the page's quick changes. */
export function renderTaskPage(
  c: Context<AppEnv>,
  state: { notice?: string; error?: string } = {},
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
  // Read before the page: an event between the two is then sent again, never lost.
  const latest = latestEventId(ctx);
  const live = c.var.auth?.via === "session";
  return renderPage(
    c,
    { title: task.title, current: "/tasks" },
    <TaskPage
      {...taskPageProps(ctx, formCsrf(c), task)}
      notice={state.notice ?? null}
      error={state.error ?? null}
      streamUrl={live ? `/tasks/${task.id}/stream?after=${latest}` : null}
    />,
    status,
  );
}

/** A comment as typed; refused, htmx gets the comments section back with the text, a plain form the page. */
export const commentForm: FormSpec<{ body: string }> = {
  values: (form) => ({ body: form.text("body") }),
  input: (values) => ({ body: values.body.replace(/\r\n?/g, "\n") }),
  invalid: (c, values, refusal) => {
    const ctx = serviceContext(c);
    const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
    const error = Object.values(refusal.errors)[0] ?? "Write a comment.";
    if (!isHtmxRequest(c)) return renderTaskPage(c, { error }, 422);
    return c.html(<CommentsSection {...commentsProps(ctx, formCsrf(c), task, values.body, error)} />, 422);
  },
};

/** POST /tasks/:id/comments: htmx gets the comments section back. */
export function commentFromForm(c: FormContext<typeof commentInput, { body: string }>) {
  const ctx = serviceContext(c);
  const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
  addComment(taskContext(c), task.id, c.req.valid("form").input);
  if (!isHtmxRequest(c)) return redirectTo(c, `/tasks/${task.id}#task-comments`);
  return c.html(<CommentsSection {...commentsProps(ctx, formCsrf(c), task, "", null)} />, 200);
}

/** A refused quick change is told at the top of the task page. */
function quickRefusal(error: unknown): FormRefusal {
  if (!(error instanceof AppError) || !["validation_failed", "forbidden"].includes(error.code)) throw error;
  return { errors: { form: error.details[0]?.message ?? error.message }, status: error.status as ContentfulStatusCode };
}

/** POST /tasks/:id/status and /tasks/:id/assignee: one field changed from the task page. */
export function quickChangeForm(field: "status" | "assigneeId"): FormSpec<string> {
  return {
    values: (form) => form.text(field),
    input: (value) => ({ [field]: field === "assigneeId" ? value || null : value }),
    invalid: (c, _value, refusal) =>
      renderTaskPage(c, { error: Object.values(refusal.errors)[0] ?? "That value is not valid." }, refusal.status),
    refusal: quickRefusal,
  };
}

export function quickChange(field: "status" | "assigneeId") {
  return function quickChange(c: FormContext<typeof updateTaskInput, string>) {
    const { input, refused } = c.req.valid("form");
    try {
      updateTask(taskContext(c), c.req.param("id") ?? "", input);
    } catch (error) {
      return refused(error);
    }
    if (!isHtmxRequest(c)) return redirectTo(c, `/tasks/${c.req.param("id")}`);
    return renderTaskPage(c, { notice: field === "status" ? "Status changed." : "Assignee changed." });
  };
}
