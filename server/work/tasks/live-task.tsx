/** @jsxImportSource hono/jsx */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DomainEvent } from "../../../models/events.ts";
import { TaskDescription, TaskHeading, TaskSide } from "../../../views/pages/work/tasks/task.tsx";
import { CommentList } from "../../../views/partials/work/tasks/comments.tsx";
import { HistoryTimeline } from "../../../views/partials/work/tasks/history.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { htmlOf, htmlPartial, partialsMessage } from "../../events/console-stream.ts";
import { taskPageProps } from "./console-props.ts";
import { findTaskById } from "./service.ts";

/** Everything that happens to one task. */
export const taskPageEventTypes = ["task.updated", "task.commented", "task.deleted"];

const swap = (target: string, node: JSX.Element) => htmlPartial(target, "outerHTML", htmlOf(node));

/**
 * One SSE message for the page of task `taskId`: events of other tasks only move the id on. A
 * change redraws the heading, description and history; a comment the list of comments (never
 * the form, so a comment being written keeps its text); both the side (quick changes and facts).
 * A deletion says so at the top of the page.
 */
export function taskPageMessage(
  ctx: ServiceContext,
  csrf: string | null,
  taskId: string,
  events: DomainEvent[],
  now = new Date(),
): string {
  const mine = events.filter((event) => event.subjectType === "task" && event.subjectId === taskId);
  if (mine.length === 0) return partialsMessage(ctx, events, []);
  const task = findTaskById(ctx, taskId);
  if (!task || mine.some((event) => event.type === "task.deleted")) {
    const notice = (
      <p id="task-live-notice" class="form-message form-message-error" role="alert">
        This task was deleted. <a href="/tasks">Back to the tasks</a>
      </p>
    );
    return partialsMessage(ctx, events, [swap("#task-live-notice", notice)]);
  }
  const props = taskPageProps(ctx, csrf, task, now);
  const parts: string[] = [];
  if (mine.some((event) => event.type === "task.updated")) {
    parts.push(
      swap("#task-heading", <TaskHeading task={props.task} />),
      swap("#task-description", <TaskDescription task={props.task} />),
      swap("#task-history", <HistoryTimeline entries={props.history} />),
    );
  }
  if (mine.some((event) => event.type === "task.commented")) {
    const { comments, canComment } = props.comments;
    parts.push(swap("#task-comment-list", <CommentList comments={comments} canComment={canComment} />));
  }
  // Facts (last activity) change with a comment too; a reassignment shows or hides the quick changes.
  parts.push(swap("#task-side", <TaskSide {...props} />));
  return partialsMessage(ctx, events, parts);
}
