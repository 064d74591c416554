import { and, asc, eq, gt } from "drizzle-orm";
import { type TaskComment, taskComments, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { DbTransaction } from "../../db.ts";
import { cursorId, pageOf } from "../../http/cursor.ts";
import { sequentialId } from "../../tools/sequential-id.ts";
import { assertCanWriteTask, type TaskContext } from "./access.ts";
import { publishTaskEvent } from "./events.ts";
import type { CommentInput } from "./schemas.ts";
import { taskOrNotFound } from "./service.ts";

export type CommentJson = { id: string; taskId: string; authorId: string | null; body: string; createdAt: string };

export function commentJson(comment: TaskComment): CommentJson {
  return {
    id: comment.id,
    taskId: comment.taskId,
    authorId: comment.authorId,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
  };
}

/**
 * Adds a comment (same rule as editing: a member only on tasks they reported or are assigned
 * to); the task's `lastActivityAt` becomes the comment's exact time.
 */
export function addComment(ctx: TaskContext, taskId: string, input: CommentInput): TaskComment {
  return ctx.db.transaction((tx) => writeComment(tx, ctx, taskId, input));
}

/** addComment inside the caller's transaction (an e-mail reply records its message with it). */
export function writeComment(tx: DbTransaction, ctx: TaskContext, taskId: string, input: CommentInput): TaskComment {
  const task = taskOrNotFound({ db: tx, orgId: ctx.orgId }, taskId);
  assertCanWriteTask(ctx, task);
  const now = new Date();
  const comment: TaskComment = {
    id: sequentialId("cmt", now.getTime()),
    orgId: ctx.orgId,
    taskId: task.id,
    authorId: ctx.userId,
    body: input.body,
    createdAt: now,
    updatedAt: now,
  };
  tx.insert(taskComments).values(comment).run();
  tx.update(tasks)
    .set({ lastActivityAt: now })
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.id, task.id)))
    .run();
  publishTaskEvent(
    tx,
    ctx,
    "task.commented",
    task,
    (actor) => `${actor} commented on “${task.title}”`,
    { commentId: comment.id },
    now,
  );
  return comment;
}

/** A task's comments, oldest first, keyset-paged by id; 404 for another organisation's task. */
export function listComments(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  taskId: string,
  page: { limit: number; cursor?: string | undefined },
): { data: TaskComment[]; nextCursor: string | null } {
  const task = taskOrNotFound(ctx, taskId);
  const after = cursorId(page.cursor);
  const rows = ctx.db
    .select()
    .from(taskComments)
    .where(and(eq(taskComments.taskId, task.id), after ? gt(taskComments.id, after) : undefined))
    .orderBy(asc(taskComments.id))
    .limit(page.limit + 1)
    .all();
  return pageOf(rows, page.limit, (row) => [row.id]);
}
