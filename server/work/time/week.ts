import { and, eq, inArray } from "drizzle-orm";
import { type TimeEntry, type Timesheet, type TimesheetStatus, timesheets } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
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
  return (
    db
      .select()
      .from(timesheets)
      .where(and(eq(timesheets.orgId, orgId), eq(timesheets.userId, userId), eq(timesheets.weekStart, weekStart)))
      .get() ?? null
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

function withNames(db: Queryable, entries: TimeEntry[]): WeekEntry[] {
  const projectIds = [...new Set(entries.map((entry) => entry.projectId).filter((id): id is string => id !== null))];
  const taskIds = [...new Set(entries.map((entry) => entry.taskId).filter((id): id is string => id !== null))];
  const projectNames = new Map(
    projectIds.length
      ? db
          .select({ id: projects.id, code: projects.code, name: projects.name })
          .from(projects)
          .where(inArray(projects.id, projectIds))
          .all()
          .map((row) => [row.id, `${row.code} · ${row.name}`])
      : [],
  );
  const taskTitles = new Map(
    taskIds.length
      ? db
          .select({ id: tasks.id, title: tasks.title })
          .from(tasks)
          .where(inArray(tasks.id, taskIds))
          .all()
          .map((row) => [row.id, row.title])
      : [],
  );
  return entries.map((entry) => ({
    ...entry,
    projectName: entry.projectId ? (projectNames.get(entry.projectId) ?? null) : null,
    taskTitle: entry.taskId ? (taskTitles.get(entry.taskId) ?? null) : null,
  }));
}
