import { and, eq, sql } from "drizzle-orm";
import { type TimeEntry, type Timesheet, type TimesheetStatus, timesheets } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { addDays, daysOfWeek } from "../../tools/days.ts";
import { entriesOfDays } from "./entry-list.ts";

export type DayTotal = { date: string; minutes: number; billableMinutes: number };
export type ProjectTotal = {
  projectId: string | null;
  name: string;
  minutes: number;
  billableMinutes: number;
  /** Minutes on each day, Monday first. */
  byDay: number[];
};
/** An entry with the names a person reads next to it. */
export type WeekEntry = TimeEntry & { projectName: string | null; taskTitle: string | null };

export type WeekSummary = {
  weekStart: string;
  weekEnd: string;
  days: string[];
  /** The timesheet row once the week was submitted at least once; null before. */
  sheet: Timesheet | null;
  status: TimesheetStatus;
  locked: boolean;
  entries: WeekEntry[];
  byDay: DayTotal[];
  byProject: ProjectTotal[];
  minutes: number;
  billableMinutes: number;
};

export function findSheetOfWeek(db: Queryable, orgId: string, userId: string, weekStart: string): Timesheet | null {
  // Prepared once per connection: the week page reads it on every load.
  return (
    preparedQuery(db, "time.sheetOfWeek", () =>
      db
        .select()
        .from(timesheets)
        .where(
          and(
            eq(timesheets.orgId, sql.placeholder("orgId")),
            eq(timesheets.userId, sql.placeholder("userId")),
            eq(timesheets.weekStart, sql.placeholder("weekStart")),
          ),
        )
        .prepare(),
    ).get({ orgId, userId, weekStart }) ?? null
  );
}

export function isLocked(status: TimesheetStatus): boolean {
  return status === "submitted" || status === "approved";
}

/** One person's week: entries with names, totals per day and per project. The caller checked who may see it. */
export function weekSummaryOf(db: Queryable, orgId: string, userId: string, weekStart: string): WeekSummary {
  const days = daysOfWeek(weekStart);
  const weekEnd = addDays(weekStart, 6);
  const sheet = findSheetOfWeek(db, orgId, userId, weekStart);
  const entries = withNames(db, entriesOfDays(db, orgId, userId, weekStart, weekEnd));
  const byDay = days.map((date) => ({ date, minutes: 0, billableMinutes: 0 }));
  const projectsById = new Map<string | null, ProjectTotal>();
  for (const entry of entries) {
    const index = days.indexOf(entry.date);
    const day = byDay[index];
    if (day) {
      day.minutes += entry.minutes;
      if (entry.billable) day.billableMinutes += entry.minutes;
    }
    let project = projectsById.get(entry.projectId);
    if (!project) {
      project = {
        projectId: entry.projectId,
        name: entry.projectName ?? "No project",
        minutes: 0,
        billableMinutes: 0,
        byDay: days.map(() => 0),
      };
      projectsById.set(entry.projectId, project);
    }
    project.minutes += entry.minutes;
    if (entry.billable) project.billableMinutes += entry.minutes;
    project.byDay[index] = (project.byDay[index] ?? 0) + entry.minutes;
  }
  const byProject = [...projectsById.values()].sort((a, b) => a.name.localeCompare(b.name));
  const status = sheet?.status ?? "open";
  return {
    weekStart,
    weekEnd,
    days,
    sheet,
    status,
    locked: isLocked(status),
    entries,
    byDay,
    byProject,
    minutes: byDay.reduce((sum, day) => sum + day.minutes, 0),
    billableMinutes: byDay.reduce((sum, day) => sum + day.billableMinutes, 0),
  };
}

/**
 * Names of the week's few projects and tasks, one prepared lookup each (a week holds a handful):
 * cheaper than building an `in (…)` query of a new shape on every load.
 */
function withNames(db: Queryable, entries: TimeEntry[]): WeekEntry[] {
  const projectNames = new Map<string, string>();
  const taskTitles = new Map<string, string>();
  const projectById = preparedQuery(db, "time.weekProjectName", () =>
    db
      .select({ code: projects.code, name: projects.name })
      .from(projects)
      .where(eq(projects.id, sql.placeholder("id")))
      .prepare(),
  );
  const taskById = preparedQuery(db, "time.weekTaskTitle", () =>
    db
      .select({ title: tasks.title })
      .from(tasks)
      .where(eq(tasks.id, sql.placeholder("id")))
      .prepare(),
  );
  for (const entry of entries) {
    if (entry.projectId && !projectNames.has(entry.projectId)) {
      const row = projectById.get({ id: entry.projectId });
      if (row) projectNames.set(entry.projectId, `${row.code} · ${row.name}`);
    }
    if (entry.taskId && !taskTitles.has(entry.taskId)) {
      const row = taskById.get({ id: entry.taskId });
      if (row) taskTitles.set(entry.taskId, row.title);
    }
  }
  return entries.map((entry) => ({
    ...entry,
    projectName: entry.projectId ? (projectNames.get(entry.projectId) ?? null) : null,
    taskTitle: entry.taskId ? (taskTitles.get(entry.taskId) ?? null) : null,
  }));
}
