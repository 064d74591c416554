import { Hono } from "hono";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { apiDoc } from "../../http/api-doc.ts";
import { pageQuery } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { taskContext } from "./access.ts";
import { changeJson, listTaskChanges } from "./changes.ts";
import { addComment, commentJson, listComments } from "./comments.ts";
import { keptPageKey, listTasks } from "./list.ts";
import {
  commentInput,
  commentJsonSchema,
  commentPageSchema,
  createTaskInput,
  historyPageSchema,
  type TaskListQuery,
  taskJsonSchema,
  taskListQuery,
  taskPageSchema,
  updateTaskInput,
} from "./schemas.ts";
import { createTaskInSharedCommit, deleteTask, taskEtag, taskJson, taskOrNotFound } from "./service.ts";
import { updateTask } from "./update.ts";

const tags = ["Tasks"];
const JSON_TYPE = { "Content-Type": "application/json" };

/**
 * A page of tasks as its JSON text. The first page of each filter (no cursor, no title search,
 * no "overdue", which moves with the clock: what integrations poll) is reused until the next
 * write (db-read-cache.ts), so a repeated request neither queries nor serialises.
 */
function taskPageJson(ctx: ServiceContext, query: TaskListQuery): string {
  const read = () => {
    const page = listTasks(ctx, query);
    return JSON.stringify({ data: page.data.map(taskJson), nextCursor: page.nextCursor });
  };
  const key = keptPageKey(ctx, query);
  return key === null ? read() : readUntilWrite(ctx.db, `tasks.apiPage:${key}`, read);
}

/** /tasks, /tasks/{id}/comments, /tasks/{id}/history. */
export const tasksApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List tasks",
      description:
        'Newest first, keyset-paged. Filters: status (comma list), assigneeId (an id, "me" or "none"), projectId, label, dueBefore, dueAfter, overdue=true, q (words of the title).',
      tags,
      responses: { 200: { description: "A page of tasks.", schema: taskPageSchema } },
    }),
    validate("query", taskListQuery),
    (c) => c.body(taskPageJson(serviceContext(c), c.req.valid("query")), 200, JSON_TYPE),
  )
  .post(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Create a task",
      description: "The caller becomes the reporter. A Team Member may assign only to themselves or nobody.",
      tags,
      responses: { 201: { description: "The new task.", schema: taskJsonSchema } },
    }),
    validate("json", createTaskInput),
    async (c) => {
      const task = await createTaskInSharedCommit(taskContext(c), c.req.valid("json"));
      c.header("ETag", taskEtag(task));
      c.header("Location", `/api/v1/tasks/${task.id}`);
      return c.json(taskJson(task), 201);
    },
  )
  .get(
    "/:id",
    requirePermission("workspace.read"),
    apiDoc({ summary: "Read a task", tags, responses: { 200: { description: "The task.", schema: taskJsonSchema } } }),
    (c) => {
      const ctx = serviceContext(c);
      const task = taskOrNotFound(ctx, c.req.param("id"));
      return jsonWithEtag(c, taskEtag(task), taskJson(task));
    },
  )
  .patch(
    "/:id",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Change a task",
      description: "Honours If-Match (412 when stale). Every changed field is kept in the history.",
      tags,
      responses: { 200: { description: "The changed task.", schema: taskJsonSchema } },
    }),
    validate("json", updateTaskInput),
    (c) => {
      const task = updateTask(taskContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"));
      c.header("ETag", taskEtag(task));
      return c.json(taskJson(task));
    },
  )
  .delete(
    "/:id",
    requirePermission("tasks.manage"),
    apiDoc({ summary: "Delete a task", tags, responses: { 204: { description: "Deleted." } } }),
    (c) => {
      deleteTask(taskContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .get(
    "/:id/comments",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List a task's comments",
      description: "Oldest first, keyset-paged.",
      tags,
      responses: { 200: { description: "A page of comments.", schema: commentPageSchema } },
    }),
    validate("query", pageQuery),
    (c) => {
      const page = listComments(serviceContext(c), c.req.param("id"), c.req.valid("query"));
      return c.json({ data: page.data.map(commentJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/:id/comments",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Comment on a task",
      description: "Markdown. Sets the task's lastActivityAt to the comment's time.",
      tags,
      responses: { 201: { description: "The new comment.", schema: commentJsonSchema } },
    }),
    validate("json", commentInput),
    (c) => {
      const comment = addComment(taskContext(c), c.req.param("id"), c.req.valid("json"));
      c.header("Location", `/api/v1/tasks/${comment.taskId}/comments`);
      return c.json(commentJson(comment), 201);
    },
  )
  .get(
    "/:id/history",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "A task's history",
      description: 'Every change, oldest first: one row per changed field, and a "created" row.',
      tags,
      responses: { 200: { description: "A page of changes.", schema: historyPageSchema } },
    }),
    validate("query", pageQuery),
    (c) => {
      const ctx = serviceContext(c);
      const task = taskOrNotFound(ctx, c.req.param("id"));
      const page = listTaskChanges(ctx.db, task.id, c.req.valid("query"));
      return c.json({ data: page.data.map(changeJson), nextCursor: page.nextCursor });
    },
  );
