/** @jsxImportSource hono/jsx */

import { statusLabels } from "../../../../models/task-labels.ts";
import type { TaskStatus } from "../../../../models/work.ts";
import { formatMinutes } from "../../../../server/tools/durations.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import {
  DueDate,
  formatTime,
  Labels,
  PriorityBadge,
  StatusBadge,
  StuckBadge,
} from "../../../partials/work/tasks/badges.tsx";
import { CommentsSection, type CommentsSectionProps } from "../../../partials/work/tasks/comments.tsx";
import { HistoryTimeline } from "../../../partials/work/tasks/history.tsx";
import type { Choice, HistoryEntryView, TaskDetailView } from "./types.ts";

export type TaskPageProps = {
  task: TaskDetailView;
  comments: CommentsSectionProps;
  history: HistoryEntryView[];
  /** Who the task may be given to by this person (members: themselves only). */
  assignees: Choice[];
  canWrite: boolean;
  canDelete: boolean;
  csrf: string | null;
  notice: string | null;
  error: string | null;
  /** The task's live stream (htmx SSE): changed parts arrive as <hx-partial>s; null = not live. */
  streamUrl: string | null;
};

/** The parts of the page its live stream replaces (each by its id), and what they need. */
export type TaskLiveParts = Pick<TaskPageProps, "task" | "assignees" | "canWrite" | "csrf">;

/**
 * /tasks/:id: the task, its rendered description, quick changes, comments and history. The live
 * connection sits outside #task-page, which the quick changes redraw, so it stays open.
 */
export function TaskPage(props: TaskPageProps) {
  return (
    <>
      <TaskArticle {...props} />
      {props.streamUrl ? <div id="task-live" hx-sse:connect={props.streamUrl} /> : null}
    </>
  );
}

function TaskArticle(props: TaskPageProps) {
  const { task } = props;
  return (
    <article id="task-page" class="tasks-page task-page">
      <header class="task-page-header">
        <p class="muted">
          <a href="/tasks">Tasks</a>
          {task.projectId && task.projectLabel ? (
            <>
              {" · "}
              <a href={`/projects/${task.projectId}`}>{task.projectLabel}</a>
            </>
          ) : null}
        </p>
        <TaskHeading task={task} />
        {props.canWrite || props.canDelete ? (
          <div class="task-actions">
            {props.canWrite ? (
              <a href={`/tasks/${task.id}/edit`} class="task-button secondary">
                Edit
              </a>
            ) : null}
            {props.canDelete ? (
              <form
                method="post"
                action={`/tasks/${task.id}/delete`}
                hx-post={`/tasks/${task.id}/delete`}
                hx-confirm={`Delete “${task.title}” with its comments and history?`}
              >
                <CsrfField token={props.csrf} />
                <button type="submit" class="secondary outline">
                  Delete
                </button>
              </form>
            ) : null}
          </div>
        ) : null}
      </header>
      <div id="task-live-notice" />
      {props.notice ? (
        <p class="form-message form-message-notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.error ? (
        <p class="form-message form-message-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div class="task-layout">
        <div class="task-main">
          <TaskDescription task={task} />
          <CommentsSection {...props.comments} />
          <HistoryTimeline entries={props.history} />
        </div>
        <TaskSide {...props} />
      </div>
    </article>
  );
}

/** The title and badges. */
export function TaskHeading(props: { task: TaskDetailView }) {
  const { task } = props;
  return (
    <div id="task-heading">
      <h1>{task.title}</h1>
      <p class="task-badges">
        <StatusBadge status={task.status} /> <PriorityBadge priority={task.priority} />{" "}
        <StuckBadge stuck={task.stuck} /> <Labels labels={task.labels} />
      </p>
    </div>
  );
}

export function TaskDescription(props: { task: TaskDetailView }) {
  return (
    <section id="task-description" aria-labelledby="description-heading">
      <h2 id="description-heading" class="visually-hidden">
        Description
      </h2>
      {props.task.descriptionHtml ? (
        <div class="markdown task-description" dangerouslySetInnerHTML={{ __html: props.task.descriptionHtml }} />
      ) : (
        <p class="empty-state">No description.</p>
      )}
    </section>
  );
}

/**
 * The quick changes (for people who may change the task) and the facts. The live stream replaces
 * it whole, so a reassignment also shows or hides the quick changes; their selects have ids, so
 * htmx gives the focus back to the one that had it.
 */
export function TaskSide(props: TaskLiveParts) {
  return (
    <aside id="task-side" class="task-side" aria-label="Details">
      {props.canWrite ? <QuickChanges {...props} /> : null}
      <TaskFacts task={props.task} />
    </aside>
  );
}

/** Status and assignee, changed in place: each form posts on change and the page is redrawn. */
function QuickChanges(props: TaskLiveParts) {
  const { task } = props;
  const swap = { "hx-target": "#task-page", "hx-select": "#task-page", "hx-swap": "outerHTML" };
  return (
    <div class="task-quick">
      <form
        method="post"
        action={`/tasks/${task.id}/status`}
        hx-post={`/tasks/${task.id}/status`}
        hx-trigger="change, submit"
        {...swap}
      >
        <CsrfField token={props.csrf} />
        <label>
          Status
          <select name="status" id="task-status-choice">
            {(Object.entries(statusLabels) as [TaskStatus, string][]).map(([value, label]) => (
              <option value={value} selected={value === task.status}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary compact">
          Set status
        </button>
      </form>
      <form
        method="post"
        action={`/tasks/${task.id}/assignee`}
        hx-post={`/tasks/${task.id}/assignee`}
        hx-trigger="change, submit"
        {...swap}
      >
        <CsrfField token={props.csrf} />
        <label>
          Assignee
          <select name="assigneeId" id="task-assignee-choice">
            <option value="">Nobody</option>
            {props.assignees.map((person) => (
              <option value={person.id} selected={person.id === task.assigneeId}>
                {person.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary compact">
          Assign
        </button>
      </form>
    </div>
  );
}

function TaskFacts(props: { task: TaskDetailView }) {
  const { task } = props;
  const fact = (term: string, value: unknown) => (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <dl class="task-facts">
      {fact("Assignee", task.assigneeName ?? <span class="muted">Nobody</span>)}
      {fact("Reporter", task.reporterName ?? <span class="muted">—</span>)}
      {fact("Project", task.projectLabel ?? <span class="muted">None</span>)}
      {fact("Due", <DueDate dueAt={task.dueAt} overdue={task.overdue} />)}
      {fact(
        "Estimate",
        task.estimateMinutes === null ? <span class="muted">—</span> : formatMinutes(task.estimateMinutes),
      )}
      {task.completedAt ? fact("Completed", formatTime(task.completedAt)) : null}
      {fact("Last activity", formatTime(task.lastActivityAt))}
      {fact("Created", formatTime(task.createdAt))}
    </dl>
  );
}
