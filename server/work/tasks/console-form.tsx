/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Task } from "../../../models/work.ts";
import { assets } from "../../../views/assets.ts";
import { TaskFormPage } from "../../../views/pages/work/tasks/form.tsx";
import type { TaskFormValues } from "../../../views/pages/work/tasks/types.ts";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import { DISK_FULL_FORM_MESSAGE, isDiskFullError } from "../../http/disk-space.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import type { FormContext, FormRefusal, FormSpec, PostedForm } from "../../http/validate-form.ts";
import { findProjectByCode, findProjectCodeById } from "../projects/search.ts";
import { assertCanWriteTask, taskContext } from "./access.ts";
import { formValuesOf, type TaskFormState, taskFormProps } from "./console-props.ts";
import type { createTaskInput, updateTaskInput } from "./schemas.ts";
import { createTaskInSharedCommit, taskOrNotFound } from "./service.ts";
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

function renderForm(c: Context<AppEnv>, state: TaskFormState, status: ContentfulStatusCode = 200) {
  return renderPage(
    c,
    {
      title: state.mode === "new" ? "New task" : `Edit ${state.task?.title ?? "task"}`,
      current: "/tasks",
      scripts: [assets.projectPicker],
    },
    <TaskFormPage {...taskFormProps(c, state)} />,
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

/** The posted fields; the project field's code becomes projectId (without that field, projectId is taken as sent). */
function postedValues(form: PostedForm, c: Context<AppEnv>): TaskFormValues {
  const values = { ...blank };
  for (const key of Object.keys(blank) as (keyof TaskFormValues)[]) values[key] = form.text(key);
  if (form.has("project")) {
    const code = values.project.trim();
    values.projectId = code === "" ? "" : (findProjectByCode(serviceContext(c), code)?.id ?? "");
  }
  return values;
}

/** A project code that names no project (the schema sees only the id). */
function projectCodeErrors(values: TaskFormValues): Record<string, string> {
  const code = values.project.trim();
  if (code === "" || values.projectId !== "") return {};
  return { projectId: `No project has the code “${code}”: type its code or part of its name.` };
}

/** The refusals a person can fix in the form: field errors, a forbidden assignee, a stale edit. */
function formFailure(error: unknown): FormRefusal {
  if (isDiskFullError(error)) return { errors: {}, message: DISK_FULL_FORM_MESSAGE, status: 507 };
  if (!(error instanceof AppError)) throw error;
  if (error.code === "precondition_failed") {
    return {
      errors: {},
      message: "Someone changed this task while you were editing. Your text is below; open the task to see theirs.",
      status: 412,
    };
  }
  if (error.code !== "validation_failed" && !(error.code === "forbidden" && error.details.length > 0)) throw error;
  const errors: Record<string, string> = {};
  for (const detail of error.details) errors[detail.path.split(".")[0] ?? "form"] ??= detail.message;
  return { errors, status: error.status as ContentfulStatusCode };
}

/** The task being edited, if this person may write it. */
function writableTask(c: Context<AppEnv>): Task {
  const ctx = serviceContext(c);
  const task = taskOrNotFound(ctx, c.req.param("id") ?? "");
  assertCanWriteTask(ctx, task);
  return task;
}

export const newTaskForm: FormSpec<TaskFormValues> = {
  values: postedValues,
  input: inputOf,
  check: projectCodeErrors,
  invalid: (c, values, refusal) =>
    renderForm(
      c,
      { mode: "new", task: null, values, errors: refusal.errors, formError: refusal.message },
      refusal.status,
    ),
  refusal: formFailure,
};

export const editTaskForm: FormSpec<TaskFormValues> = {
  ...newTaskForm,
  // Drawn from the current version, keeping what this person typed.
  invalid: (c, values, refusal) =>
    renderForm(
      c,
      { mode: "edit", task: writableTask(c), values, errors: refusal.errors, formError: refusal.message },
      refusal.status,
    ),
};

/** POST /tasks: creates and opens the task; refused, the form comes back as typed. */
export async function createFromForm(c: FormContext<typeof createTaskInput, TaskFormValues>) {
  const { input, refused } = c.req.valid("form");
  try {
    const task = await createTaskInSharedCommit(taskContext(c), input);
    return redirectTo(c, `/tasks/${task.id}`);
  } catch (error) {
    return refused(error);
  }
}

/** POST /tasks/:id: saves the edit unless someone changed the task since the form was drawn (412). */
export function updateFromForm(c: FormContext<typeof updateTaskInput, TaskFormValues>) {
  const task = writableTask(c);
  const { input, form, refused } = c.req.valid("form");
  try {
    updateTask(taskContext(c), task.id, input, form.text("_etag") || undefined);
    return redirectTo(c, `/tasks/${task.id}`);
  } catch (error) {
    return refused(error);
  }
}
