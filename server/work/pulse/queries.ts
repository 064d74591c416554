import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import { customers, invoices } from "../../../models/billing.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects, taskStatuses, tasks } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";

/*
 * The Pulse's reads: read-only, each bounded by a small limit and served in order by an index
 * of its table (tasks_org_assignee_due_idx, tasks_org_activity_idx, invoices_org_status_due_idx,
 * time_entries_org_user_date_idx), never by sorting all of a person's tasks or the
 * organisation's invoices. They fetch one row more than they show, to say "more".
 */

/** A task as a Pulse row. */
export type PulseTaskRow = {
  id: string;
  title: string;
  status: string;
  priority: string;
  dueAt: Date | null;
  lastActivityAt: Date;
  assigneeId: string | null;
  projectCode: string | null;
};

const STALE_AFTER_MS = 48 * 60 * 60_000;

const taskColumns = {
  id: tasks.id,
  title: tasks.title,
  status: tasks.status,
  priority: tasks.priority,
  dueAt: tasks.dueAt,
  lastActivityAt: tasks.lastActivityAt,
  assigneeId: tasks.assigneeId,
  projectCode: projects.code,
};

// Listed rather than `<> 'done'`, so that the (org, assignee, status) index seeks past done work.
const openStatuses = taskStatuses.filter((status) => status !== "done");

/** The organisation's open (not done) tasks that also meet `where`, with their project's code. */
function openTasksWhere(db: Queryable, orgId: string, ...where: (SQL | undefined)[]) {
  return db
    .select(taskColumns)
    .from(tasks)
    .leftJoin(projects, eq(projects.id, tasks.projectId))
    .where(and(eq(tasks.orgId, orgId), inArray(tasks.status, openStatuses), ...where));
}

/**
 * My open tasks: the soonest due first (no due date last), then the oldest. Two reads in the
 * order of tasks_org_assignee_due_idx: the tasks with a due date, then (if the page is not
 * full) those without one.
 */
export function listMyOpenTasks(db: Queryable, orgId: string, userId: string, limit: number): PulseTaskRow[] {
  const due = openTasksWhere(db, orgId, eq(tasks.assigneeId, userId), isNotNull(tasks.dueAt))
    .orderBy(asc(tasks.dueAt), asc(tasks.id))
    .limit(limit)
    .all();
  if (due.length >= limit) return due;
  const undated = openTasksWhere(db, orgId, eq(tasks.assigneeId, userId), isNull(tasks.dueAt))
    .orderBy(asc(tasks.id))
    .limit(limit - due.length)
    .all();
  return [...due, ...undated];
}

/** My open tasks whose due time has passed, the most overdue first. */
export function listMyOverdueTasks(
  db: Queryable,
  orgId: string,
  userId: string,
  now: Date,
  limit: number,
): PulseTaskRow[] {
  return openTasksWhere(db, orgId, eq(tasks.assigneeId, userId), isNotNull(tasks.dueAt), lt(tasks.dueAt, now))
    .orderBy(asc(tasks.dueAt), asc(tasks.id))
    .limit(limit)
    .all();
}

/**
 * Open tasks without activity for 48 hours, the longest quiet first: the whole organisation's
 * for people who manage tasks (`assigneeId` null), otherwise only the caller's.
 */
export function listStaleTasks(
  db: Queryable,
  orgId: string,
  assigneeId: string | null,
  now: Date,
  limit: number,
): PulseTaskRow[] {
  const before = new Date(now.getTime() - STALE_AFTER_MS);
  return openTasksWhere(
    db,
    orgId,
    lt(tasks.lastActivityAt, before),
    assigneeId === null ? undefined : eq(tasks.assigneeId, assigneeId),
  )
    .orderBy(asc(tasks.lastActivityAt), asc(tasks.id))
    .limit(limit)
    .all();
}

/** Which of `taskIds` are assigned to `userId` now (a task event "for their tasks"). */
export function tasksAssignedTo(db: Queryable, orgId: string, userId: string, taskIds: string[]): string[] {
  if (taskIds.length === 0) return [];
  return db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), eq(tasks.assigneeId, userId), inArray(tasks.id, taskIds)))
    .all()
    .map((row) => row.id);
}

export type PulseInvoiceRow = {
  id: string;
  number: string;
  customerName: string;
  currency: string;
  total: number;
  dueDate: string;
};

/**
 * Overdue invoices, the oldest due date first: those marked overdue, and sent ones already past
 * their due date that the daily job has not marked yet.
 */
export function listOverdueInvoices(db: Queryable, orgId: string, today: string, limit: number): PulseInvoiceRow[] {
  // One ordered read of invoices_org_status_due_idx per status, merged: an OR of both would
  // sort every overdue and sent invoice of the organisation.
  const overdue = overdueInvoicesWhere(db, orgId, eq(invoices.status, "overdue"), limit);
  const late = overdueInvoicesWhere(db, orgId, and(eq(invoices.status, "sent"), lt(invoices.dueDate, today)), limit);
  return [...overdue, ...late]
    .sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.id, b.id))
    .slice(0, limit);
}

/** Binary comparison, as SQLite orders text. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function overdueInvoicesWhere(db: Queryable, orgId: string, where: SQL | undefined, limit: number): PulseInvoiceRow[] {
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      customerName: customers.name,
      currency: invoices.currency,
      total: invoices.total,
      dueDate: invoices.dueDate,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.orgId, orgId), where))
    .orderBy(asc(invoices.dueDate), asc(invoices.id))
    .limit(limit)
    .all();
}

/** Minutes I logged per day from `firstDay` to `lastDay` (inclusive), days without entries left out. */
export function minutesByDay(
  db: Queryable,
  orgId: string,
  userId: string,
  firstDay: string,
  lastDay: string,
): Map<string, number> {
  const rows = db
    .select({ date: timeEntries.date, minutes: sql<number>`sum(${timeEntries.minutes})` })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, orgId),
        eq(timeEntries.userId, userId),
        gte(timeEntries.date, firstDay),
        lte(timeEntries.date, lastDay),
      ),
    )
    .groupBy(timeEntries.date)
    .all();
  return new Map(rows.map((row) => [row.date, Number(row.minutes)]));
}
