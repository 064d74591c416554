/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { TaskPage } from "../../../views/pages/work/tasks/task.tsx";
import { CommentsSection } from "../../../views/partials/work/tasks/comments.tsx";
import { renderPage } from "../../console/render.tsx";
import { latestEventId } from "../../events/ids.ts";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import type { FormContext, FormRefusal, FormSpec } from "../../http/validate-form.ts";
import { taskContext } from "./access.ts";
import { addComment } from "./comments.ts";
import { commentsProps, taskPageProps } from "./console-props.ts";
import type { commentInput, updateTaskInput } from "./schemas.ts";
import { taskOrNotFound } from "./service.ts";
import { updateTask } from "./update.ts";

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
