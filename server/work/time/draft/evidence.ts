import { and, eq, gte, lt } from "drizzle-orm";
import { timeEntries } from "../../../../models/time.ts";
import { taskChanges, taskComments, tasks } from "../../../../models/work.ts";
import type { Queryable } from "../../../db.ts";
import { addDays, dayOf, startOfDay } from "../../../tools/days.ts";

/** What the person did on a task, as the box recorded it: a status move, a closing, a comment. */
export type TaskAct = {
  day: string;
  taskId: string;
  title: string;
  projectId: string | null;
  kind: "moved" | "closed" | "commented";
  /** The status moved to (`review`), for moves. */
  to: string | null;
};

/** What is logged already: the work of each entry on each day. */
export type LoggedWork = { day: string; taskId: string | null; projectId: string | null; minutes: number };

function parsedStatus(value: string | null): string | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "string" ? parsed : null;
  } catch {
    return null;
  }
}

/** The person's status moves and comments from Monday 00:00 to the next Monday (UTC), oldest first. */
export function taskActsOfWeek(db: Queryable, orgId: string, userId: string, weekStart: string): TaskAct[] {
  const from = startOfDay(weekStart);
  const to = startOfDay(addDays(weekStart, 7));
  const moves = db
    .select({
      at: taskChanges.createdAt,
      taskId: tasks.id,
      title: tasks.title,
      projectId: tasks.projectId,
      to: taskChanges.toValue,
    })
    .from(taskChanges)
    .innerJoin(tasks, and(eq(tasks.id, taskChanges.taskId), eq(tasks.orgId, orgId)))
    .where(
      and(
        eq(taskChanges.orgId, orgId),
        eq(taskChanges.actorId, userId),
        eq(taskChanges.field, "status"),
        gte(taskChanges.createdAt, from),
        lt(taskChanges.createdAt, to),
      ),
    )
    .all();
  const comments = db
    .select({ at: taskComments.createdAt, taskId: tasks.id, title: tasks.title, projectId: tasks.projectId })
    .from(taskComments)
    .innerJoin(tasks, and(eq(tasks.id, taskComments.taskId), eq(tasks.orgId, orgId)))
    .where(
      and(
        eq(taskComments.orgId, orgId),
        eq(taskComments.authorId, userId),
        gte(taskComments.createdAt, from),
        lt(taskComments.createdAt, to),
      ),
    )
    .all();
  const acts: (TaskAct & { at: number })[] = [
    ...moves.map((row) => {
      const status = parsedStatus(row.to);
      return {
        at: row.at.getTime(),
        day: dayOf(row.at),
        taskId: row.taskId,
        title: row.title,
        projectId: row.projectId,
        kind: status === "done" ? ("closed" as const) : ("moved" as const),
        to: status,
      };
    }),
    ...comments.map((row) => ({
      at: row.at.getTime(),
      day: dayOf(row.at),
      taskId: row.taskId,
      title: row.title,
      projectId: row.projectId,
      kind: "commented" as const,
      to: null,
    })),
  ];
  return acts.sort((a, b) => a.at - b.at).map(({ at: _at, ...act }) => act);
}

/** The person's entries of the week (Monday to Sunday). */
export function loggedWorkOfWeek(db: Queryable, orgId: string, userId: string, weekStart: string): LoggedWork[] {
  return db
    .select({
      day: timeEntries.date,
      taskId: timeEntries.taskId,
      projectId: timeEntries.projectId,
      minutes: timeEntries.minutes,
    })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, orgId),
        eq(timeEntries.userId, userId),
        gte(timeEntries.date, weekStart),
        lt(timeEntries.date, addDays(weekStart, 7)),
      ),
    )
    .all();
}
