/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import { statusLabels } from "../../../../models/task-labels.ts";
import type { TaskStatus } from "../../../../models/work.ts";
import { escapeHtml } from "../../../../server/tools/html.ts";
import { TaskTable, TaskTabs } from "../../../partials/work/tasks/task-table.tsx";
import { renderedOnce } from "../../../rendered-once.ts";
import type { Choice, FieldErrors, ProjectChoice, TaskFilterValues, TaskRowView } from "./types.ts";

export type TaskListPageProps = {
  rows: TaskRowView[];
  filters: TaskFilterValues;
  errors: FieldErrors;
  people: Choice[];
  projects: ProjectChoice[];
  /** The next (older) page with the same filters, and the first page; null when there is none. */
  nextHref: string | null;
  firstHref: string | null;
  canCreate: boolean;
  /** The list's live stream (htmx SSE), which says how many tasks changed; null = not live. */
  streamUrl: string | null;
};

const statusOptions: { value: string; label: string }[] = [
  { value: "", label: "Any status" },
  { value: "todo,in_progress,blocked,review", label: "Open (not done)" },
  ...(Object.entries(statusLabels) as [TaskStatus, string][]).map(([value, label]) => ({ value, label })),
];

const dueOptions = [
  { value: "", label: "Any time" },
  { value: "overdue", label: "Overdue" },
  { value: "week", label: "Due this week" },
  { value: "month", label: "Due in the next 30 days" },
];

/** /tasks: every task of the organisation, newest first, with filters kept in the URL. */
export function TaskListPage(props: TaskListPageProps) {
  const { filters, errors } = props;
  return (
    <article class="tasks-page">
      <header>
        <h1>Tasks</h1>
        <TaskTabs current="list" canCreate={props.canCreate} />
      </header>
      <form
        class="task-filters"
        method="get"
        action="/tasks"
        aria-label="Filter tasks"
        hx-get="/tasks"
        hx-trigger="change, submit"
        hx-target="#task-results"
        hx-select="#task-results"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <label>
          Text
          <input type="search" name="q" value={filters.q} placeholder="Words of the title" maxlength={200} />
        </label>
        <FixedSelect label="Status" name="status" value={filters.status} options={statusOptions} />
        <Select
          label="Assignee"
          name="assigneeId"
          value={filters.assigneeId}
          options={[
            { value: "", label: "Anyone" },
            { value: "me", label: "Me" },
            { value: "none", label: "Nobody" },
            ...props.people.map((person) => ({ value: person.id, label: person.name })),
          ]}
        />
        <Select
          label="Project"
          name="projectId"
          value={filters.projectId}
          options={[
            { value: "", label: "Any project" },
            ...props.projects.map((project) => ({ value: project.id, label: `${project.code} · ${project.name}` })),
          ]}
        />
        <label>
          Label
          <input
            type="text"
            name="label"
            value={filters.label}
            maxlength={40}
            aria-invalid={errors.label ? "true" : undefined}
          />
          {errors.label ? <small>{errors.label}</small> : null}
        </label>
        <FixedSelect label="Due" name="due" value={filters.due} options={dueOptions} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <TaskResults {...props} />
    </article>
  );
}

/** A select of fixed options: rendered once per chosen option (any other value is drawn afresh). */
function FixedSelect(props: {
  label: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
}) {
  if (!props.options.some((option) => option.value === props.value)) return <Select {...props} />;
  return renderedOnce(`tasks.filter:${props.name}:${props.value}`, () => <Select {...props} />);
}

function Select(props: { label: string; name: string; value: string; options: { value: string; label: string }[] }) {
  // A value from a hand-written URL (status=done,review) still shows as chosen.
  const options = props.options.some((option) => option.value === props.value)
    ? props.options
    : [...props.options, { value: props.value, label: props.value }];
  return (
    <label>
      {props.label}
      <select name={props.name}>{raw(optionsHtml(options, props.value))}</select>
    </label>
  );
}

/** The options as text, like the rows (task-rows.ts): a page draws one per person and project. */
function optionsHtml(options: { value: string; label: string }[], chosen: string): string {
  let out = "";
  for (const option of options) {
    const selected = option.value === chosen ? " selected" : "";
    out += `<option value="${escapeHtml(option.value)}"${selected}>${escapeHtml(option.label)}</option>`;
  }
  return out;
}

function TaskResults(props: TaskListPageProps) {
  const filtered = Object.values(props.filters).some((value) => value !== "");
  const pageLink = (href: string, label: string) => (
    <a
      href={href}
      hx-get={href}
      hx-target="#task-results"
      hx-select="#task-results"
      hx-swap="outerHTML"
      hx-push-url="true"
    >
      {label}
    </a>
  );
  return (
    <section id="task-results" aria-label="Tasks" aria-live="polite">
      {/* Inside the results: a filter or a refresh draws them afresh, with a stream that counts from then. */}
      <div id="task-list-changes" />
      {props.streamUrl ? <div id="task-list-live" hx-sse:connect={props.streamUrl} /> : null}
      {Object.keys(props.errors).length > 0 ? (
        <p class="form-message form-message-error" role="alert">
          {Object.values(props.errors).join(" ")}
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <EmptyState filtered={filtered} canCreate={props.canCreate} />
      ) : (
        <TaskTable rows={props.rows} caption="Tasks, newest first" />
      )}
      {props.nextHref || props.firstHref ? (
        <p class="pager">
          {props.firstHref ? pageLink(props.firstHref, "← Newest") : null}
          {props.nextHref ? pageLink(props.nextHref, "Next page →") : null}
        </p>
      ) : null}
    </section>
  );
}

function EmptyState(props: { filtered: boolean; canCreate: boolean }) {
  if (props.filtered) {
    return (
      <p class="empty-state">
        No tasks match these filters. <a href="/tasks">Clear the filters</a> to see every task.
      </p>
    );
  }
  return (
    <div class="empty-state">
      <p>No tasks yet.</p>
      <p>
        {props.canCreate ? (
          <>
            <a href="/tasks/new">Create the first task</a>, or add tasks from a project's page.
          </>
        ) : (
          "Tasks appear here as soon as someone creates one."
        )}
      </p>
    </div>
  );
}

/**
 * "3 tasks changed since this list was loaded — Refresh". The list does not redraw itself: rows
 * moving under the pointer or the keyboard (a page of 25 ordered newest first, filters that a
 * change can make a row leave) would lose the person's place, so they choose when to refresh.
 */
export function ChangedTasksNotice(props: { count: number; more: boolean; refreshHref: string }) {
  const { count } = props;
  const what = props.more ? `More than ${count} tasks` : count === 1 ? "1 task" : `${count} tasks`;
  return (
    <div id="task-list-changes">
      <p class="task-list-changes" role="status">
        {what} changed since this list was loaded.{" "}
        <a
          href={props.refreshHref}
          hx-get={props.refreshHref}
          hx-target="#task-results"
          hx-select="#task-results"
          hx-swap="outerHTML"
        >
          Refresh the list
        </a>
      </p>
    </div>
  );
}
