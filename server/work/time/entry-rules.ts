import { and, eq, ne, sum } from "drizzle-orm";
import { timeEntries, timesheets } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { weekStartOf } from "../../tools/days.ts";

/** The rules every write of time obeys, shared by entries, timers and timesheets. */

export type Work = { taskId: string | null; projectId: string | null };

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path, message }]);
}

/**
 * The task and project an entry is for: a task implies its project (a different projectId is a
 * 422); without a task, an active project of the organisation is needed.
 */
export function resolveWork(db: Queryable, orgId: string, wanted: Work): Work {
  if (wanted.taskId) {
    const task = db
      .select({ id: tasks.id, projectId: tasks.projectId })
      .from(tasks)
      .where(and(eq(tasks.orgId, orgId), eq(tasks.id, wanted.taskId)))
      .get();
    if (!task) throw invalid("taskId", "No such task in this organisation.");
    if (wanted.projectId && wanted.projectId !== task.projectId) {
      throw invalid("projectId", "The task belongs to another project: leave the project out or choose the task's.");
    }
    return { taskId: task.id, projectId: task.projectId };
  }
  if (!wanted.projectId) throw invalid("projectId", "Choose a task or a project.");
  const project = db
    .select({ id: projects.id, status: projects.status })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.id, wanted.projectId)))
    .get();
  if (!project) throw invalid("projectId", "No such project in this organisation.");
  if (project.status === "archived") throw invalid("projectId", "The project is archived: time goes to active ones.");
  return { taskId: null, projectId: project.id };
}

/** Minutes `userId` has on `date`, leaving out one entry (the one being edited). */
export function minutesOnDay(db: Queryable, orgId: string, userId: string, date: string, exceptId?: string): number {
  const row = db
    .select({ total: sum(timeEntries.minutes) })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, orgId),
        eq(timeEntries.userId, userId),
        eq(timeEntries.date, date),
        exceptId ? ne(timeEntries.id, exceptId) : undefined,
      ),
    )
    .get();
  return Number(row?.total ?? 0);
}

/** 422 on `minutes` when the day would pass 24 hours for the person. */
export function assertFitsInDay(
  db: Queryable,
  orgId: string,
  entry: { userId: string; date: string; minutes: number },
  exceptId?: string,
): void {
  const logged = minutesOnDay(db, orgId, entry.userId, entry.date, exceptId);
  if (logged + entry.minutes > 1440) {
    const left = Math.max(0, 1440 - logged);
    throw invalid(
      "minutes",
      `A day has at most 24 hours: ${entry.date} already holds ${logged} minutes, so at most ${left} more fit.`,
    );
  }
}

/** 409 while the person's week holding `date` is submitted or approved. */
export function assertWeekOpen(db: Queryable, orgId: string, userId: string, date: string): void {
  const sheet = db
    .select({ status: timesheets.status })
    .from(timesheets)
    .where(and(eq(timesheets.orgId, orgId), eq(timesheets.userId, userId), eq(timesheets.weekStart, weekStartOf(date))))
    .get();
  if (sheet && (sheet.status === "submitted" || sheet.status === "approved")) {
    throw new AppError("conflict", `This week is ${sheet.status} and locked.`, [
      { path: "date", message: `The week of ${weekStartOf(date)} is ${sheet.status} and locked.` },
    ]);
  }
}

/** A short name of the work for feeds: the task's title, else the project's name. */
export function workLabel(db: Queryable, work: Work): string {
  if (work.taskId) {
    const task = db.select({ title: tasks.title }).from(tasks).where(eq(tasks.id, work.taskId)).get();
    if (task) return `“${task.title}”`;
  }
  if (work.projectId) {
    const project = db.select({ name: projects.name }).from(projects).where(eq(projects.id, work.projectId)).get();
    if (project) return project.name;
  }
  return "no project";
}
