/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { Task } from "../../../models/work.ts";
import { assets } from "../../../views/assets.ts";
import { TaskFormPage } from "../../../views/pages/work/tasks/form.tsx";
import type { FieldErrors, TaskFormValues } from "../../../views/pages/work/tasks/types.ts";
import { renderPage } from "../../console/render.tsx";
import { fieldErrors, formCsrf, readForm, redirectTo } from "../../http/console-forms.ts";
import { DISK_FULL_FORM_MESSAGE, isDiskFullError } from "../../http/disk-space.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import { findProjectByCode, findProjectCodeById } from "../projects/search.ts";
import { assertCanWriteTask, canAssignTo, taskContext } from "./access.ts";
import { peopleChoices } from "./console-data.ts";
import { createTaskInput, updateTaskInput } from "./schemas.ts";
import { createTaskInSharedCommit, taskEtag, taskOrNotFound } from "./service.ts";
import { updateTask } from "./update.ts";

const blank: TaskFormValues = {
  title: "",
  description: "",
  status: "todo",
  priority: "medium",
  projectId: "",
  project: "",
  assigneeId: "",
  dueAt: "",
  estimateMinutes: "",
  labels: "",
};

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

/** The form's text as the API's input: empty means none, labels split on commas. */
function inputOf(values: TaskFormValues) {
  const estimate = values.estimateMinutes.trim();
  return {
    title: values.title,
    // Browsers send textarea line breaks as CRLF; stored text uses LF so an untouched field is no change.
    description: values.description.replace(/\r\n?/g, "\n"),
    status: values.status,
    priority: values.priority,
    projectId: values.projectId || null,
    assigneeId: values.assigneeId || null,
    dueAt: values.dueAt.trim() || null,
    estimateMinutes: estimate === "" ? null : /^\d+$/.test(estimate) ? Number(estimate) : estimate,
    labels: values.labels.split(",").filter((label) => label.trim() !== ""),
  };
}

function renderForm(
  c: Context<AppEnv>,
  state: { mode: "new" | "edit"; task: Task | null; values: TaskFormValues; errors?: FieldErrors; formError?: string },
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const people = peopleChoices(ctx.db, ctx.orgId);
  const current = state.task?.assigneeId ?? null;
  const project = state.values.project ? findProjectByCode(ctx, state.values.project) : null;
  return renderPage(
    c,
    {
      title: state.mode === "new" ? "New task" : `Edit ${state.task?.title ?? "task"}`,
      current: "/tasks",
      scripts: [assets.projectPicker],
    },
    <TaskFormPage
      mode={state.mode}
      taskId={state.task?.id ?? null}
      values={state.values}
      errors={state.errors ?? {}}
      formError={state.formError ?? null}
      assignees={people.filter((person) => canAssignTo(ctx, person.id) || person.id === current)}
      projectLabel={project ? `${project.code} · ${project.name}` : null}
      csrf={formCsrf(c)}
      etag={state.task ? taskEtag(state.task) : null}
    />,
    status,
  );
}

/** GET /tasks/new (?projectId=&status= prefill it, as the board and project pages link). */
export function renderNewTask(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const projectId = c.req.query("projectId") ?? "";
  const values = { ...blank, projectId, project: findProjectCodeById(ctx, projectId) ?? "", assigneeId: "" };
  const status = c.req.query("status");
  if (status) values.status = status;
  // A member's new task is theirs unless they say otherwise.
  if (!ctx.permissions.has("tasks.manage")) values.assigneeId = ctx.userId;
  return renderForm(c, { mode: "new", task: null, values });
}

export function renderEditTask(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
  assertCanWriteTask(ctx, task);
  const projectCode = task.projectId ? findProjectCodeById(ctx, task.projectId) : null;
  return renderForm(c, { mode: "edit", task, values: formValuesOf(task, projectCode) });
}

type Posted = { values: TaskFormValues; etag: string; errors: FieldErrors };

/** The posted fields; the project field's code becomes projectId (without that field, projectId is taken as sent). */
async function postedValues(c: Context<AppEnv>): Promise<Posted> {
  const form = await readForm(c);
  const values = { ...blank };
  for (const key of Object.keys(blank) as (keyof TaskFormValues)[]) values[key] = form[key] ?? "";
  const errors: FieldErrors = {};
  const code = values.project.trim();
  if (form.project !== undefined) {
    const project = code === "" ? null : findProjectByCode(serviceContext(c), code);
    values.projectId = project?.id ?? "";
    if (code !== "" && !project)
      errors.projectId = `No project has the code “${code}”: type its code or part of its name.`;
  }
  return { values, etag: form._etag ?? "", errors };
}

/** The schema's field errors and the project field's, together. */
function allErrors(posted: Posted, parsed: { success: boolean; error?: z.ZodError }): FieldErrors {
  return { ...(parsed.error ? fieldErrors(parsed.error) : {}), ...posted.errors };
}

/** The refusals a person can fix in the form: field errors, a forbidden assignee, a stale edit. */
function formFailure(error: unknown): { errors: FieldErrors; formError?: string; status: ContentfulStatusCode } | null {
  if (isDiskFullError(error)) return { errors: {}, formError: DISK_FULL_FORM_MESSAGE, status: 507 };
  if (!(error instanceof AppError)) return null;
  if (error.code === "precondition_failed") {
    return {
      errors: {},
      formError: "Someone changed this task while you were editing. Your text is below; open the task to see theirs.",
      status: 412,
    };
  }
  if (error.code !== "validation_failed" && !(error.code === "forbidden" && error.details.length > 0)) return null;
  const errors: FieldErrors = {};
  for (const detail of error.details) errors[detail.path.split(".")[0] ?? "form"] ??= detail.message;
  return { errors, status: error.status as ContentfulStatusCode };
}

/** POST /tasks: creates and opens the task; refused, the form comes back as typed. */
export async function createFromForm(c: Context<AppEnv>) {
  const posted = await postedValues(c);
  const { values } = posted;
  const parsed = createTaskInput.safeParse(inputOf(values));
  if (!parsed.success || posted.errors.projectId)
    return renderForm(c, { mode: "new", task: null, values, errors: allErrors(posted, parsed) }, 422);
  try {
    const task = await createTaskInSharedCommit(taskContext(c), parsed.data);
    return redirectTo(c, `/tasks/${task.id}`);
  } catch (error) {
    const failure = formFailure(error);
    if (!failure) throw error;
    return renderForm(c, { mode: "new", task: null, values, ...failure }, failure.status);
  }
}

/** POST /tasks/:id: saves the edit unless someone changed the task since the form was drawn (412). */
export async function updateFromForm(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
  assertCanWriteTask(ctx, task);
  const posted = await postedValues(c);
  const { values, etag } = posted;
  const parsed = updateTaskInput.safeParse(inputOf(values));
  if (!parsed.success || posted.errors.projectId)
    return renderForm(c, { mode: "edit", task, values, errors: allErrors(posted, parsed) }, 422);
  try {
    updateTask(taskContext(c), task.id, parsed.data, etag || undefined);
    return redirectTo(c, `/tasks/${task.id}`);
  } catch (error) {
    const failure = formFailure(error);
    if (!failure) throw error;
    return renderForm(c, { mode: "edit", task: taskOrNotFound(ctx, task.id), values, ...failure }, failure.status);
  }
}
