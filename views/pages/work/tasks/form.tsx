/** @jsxImportSource hono/jsx */

import { priorityLabels, statusLabels } from "../../../../models/task-labels.ts";
import type { TaskPriority, TaskStatus } from "../../../../models/work.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { ProjectField } from "./form-project.tsx";
import type { Choice, FieldErrors, TaskFormValues } from "./types.ts";

export type TaskFormPageProps = {
  mode: "new" | "edit";
  taskId: string | null;
  values: TaskFormValues;
  errors: FieldErrors;
  /** A message for the whole form (someone else changed the task meanwhile). */
  formError: string | null;
  assignees: Choice[];
  /** The project whose code the field holds (`WEB · Website`), or null. */
  projectLabel: string | null;
  csrf: string | null;
  /** The task's ETag when the form was drawn: a save over someone else's change is refused. */
  etag: string | null;
};

/** /tasks/new and /tasks/:id/edit: one form; refused, it comes back with what was typed. */
export function TaskFormPage(props: TaskFormPageProps) {
  const { values, errors } = props;
  const action = props.mode === "new" ? "/tasks" : `/tasks/${props.taskId}`;
  const cancel = props.mode === "new" ? "/tasks" : `/tasks/${props.taskId}`;
  return (
    <article class="tasks-page task-form-page">
      <header>
        <h1>{props.mode === "new" ? "New task" : "Edit task"}</h1>
      </header>
      {props.formError ? (
        <p class="form-message form-message-error" role="alert">
          {props.formError}
        </p>
      ) : null}
      <form
        id="task-form"
        method="post"
        action={action}
        hx-post={action}
        hx-target="#main"
        hx-swap="innerHTML"
        novalidate
      >
        <CsrfField token={props.csrf} />
        {props.etag ? <input type="hidden" name="_etag" value={props.etag} /> : null}
        <Field label="Title" name="title" error={errors.title}>
          <input
            type="text"
            name="title"
            value={values.title}
            maxlength={200}
            required
            autofocus
            {...invalid("title", errors)}
          />
        </Field>
        <Field
          label="Description"
          name="description"
          error={errors.description}
          hint="Markdown: **bold**, lists, links."
        >
          <textarea name="description" rows={6} maxlength={20_000} {...invalid("description", errors)}>
            {values.description}
          </textarea>
        </Field>
        <div class="grid">
          <Field label="Status" name="status" error={errors.status}>
            <select name="status" {...invalid("status", errors)}>
              {(Object.entries(statusLabels) as [TaskStatus, string][]).map(([value, label]) => (
                <option value={value} selected={value === values.status}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Priority" name="priority" error={errors.priority}>
            <select name="priority" {...invalid("priority", errors)}>
              {(Object.entries(priorityLabels) as [TaskPriority, string][]).map(([value, label]) => (
                <option value={value} selected={value === values.priority}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="grid">
          <ProjectField value={values.project} currentLabel={props.projectLabel} error={errors.projectId} />
          <Field label="Assignee" name="assigneeId" error={errors.assigneeId}>
            <select name="assigneeId" {...invalid("assigneeId", errors)}>
              <option value="">Nobody</option>
              {props.assignees.map((person) => (
                <option value={person.id} selected={person.id === values.assigneeId}>
                  {person.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="grid">
          <Field label="Due date" name="dueAt" error={errors.dueAt}>
            <input type="date" name="dueAt" value={values.dueAt} {...invalid("dueAt", errors)} />
          </Field>
          <Field label="Estimate (minutes)" name="estimateMinutes" error={errors.estimateMinutes}>
            <input
              type="text"
              inputmode="numeric"
              name="estimateMinutes"
              value={values.estimateMinutes}
              {...invalid("estimateMinutes", errors)}
            />
          </Field>
        </div>
        <Field
          label="Labels"
          name="labels"
          error={errors.labels}
          hint="Separated by commas, at most 20: plumbing, urgent"
        >
          <input type="text" name="labels" value={values.labels} maxlength={1000} {...invalid("labels", errors)} />
        </Field>
        <div class="task-form-actions">
          <button type="submit">{props.mode === "new" ? "Create task" : "Save changes"}</button>
          <a href={cancel} class="task-button secondary outline">
            Cancel
          </a>
        </div>
      </form>
    </article>
  );
}

function invalid(name: string, errors: FieldErrors) {
  return errors[name] ? { "aria-invalid": "true", "aria-describedby": `${name}-help` } : {};
}

function Field(props: { label: string; name: string; error: string | undefined; hint?: string; children: unknown }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children
    <label>
      {props.label}
      {props.children}
      {props.error || props.hint ? <small id={`${props.name}-help`}>{props.error ?? props.hint}</small> : null}
    </label>
  );
}
