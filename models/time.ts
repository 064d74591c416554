import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { invoiceLines } from "./billing.ts";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";
import { projects, tasks } from "./work.ts";

export const timeEntries = sqliteTable(
  "time_entries",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** The day worked, `YYYY-MM-DD`. */
    date: text("date").notNull(),
    minutes: integer("minutes").notNull(),
    taskId: text("task_id").references(() => tasks.id, { onDelete: "set null" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    note: text("note").notNull().default(""),
    billable: integer("billable", { mode: "boolean" }).notNull().default(false),
    /** Set once the entry was billed, so it is not billed twice. */
    invoiceLineId: text("invoice_line_id").references(() => invoiceLines.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("time_entries_org_user_date_idx").on(table.orgId, table.userId, table.date),
    index("time_entries_org_project_date_idx").on(table.orgId, table.projectId, table.date),
    index("time_entries_org_id_idx").on(table.orgId, table.id),
    // Everyone's entries (userId=all), newest day first: the list's keyset (date, id).
    index("time_entries_org_date_idx").on(table.orgId, table.date, table.id),
  ],
);
export type TimeEntry = typeof timeEntries.$inferSelect;

/** A running timer: at most one per person and organisation. Stopping it writes a time entry. */
export const timers = sqliteTable(
  "timers",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    taskId: text("task_id").references(() => tasks.id, { onDelete: "set null" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    note: text("note").notNull().default(""),
    billable: integer("billable", { mode: "boolean" }).notNull().default(false),
    startedAt: timestamp("started_at").notNull(),
  },
  (table) => [uniqueIndex("timers_org_user_unique").on(table.orgId, table.userId)],
);
export type Timer = typeof timers.$inferSelect;

export const timesheetStatuses = ["open", "submitted", "approved", "rejected"] as const;
export type TimesheetStatus = (typeof timesheetStatuses)[number];

/** One person's week (Monday to Sunday). Approved = locked until an approver reopens it. */
export const timesheets = sqliteTable(
  "timesheets",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** The Monday, `YYYY-MM-DD`. */
    weekStart: text("week_start").notNull(),
    status: text("status", { enum: timesheetStatuses }).notNull().default("open"),
    approvalRequestId: text("approval_request_id"),
    submittedAt: timestamp("submitted_at"),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("timesheets_org_user_week_unique").on(table.orgId, table.userId, table.weekStart),
    index("timesheets_org_status_idx").on(table.orgId, table.status, table.id),
  ],
);
export type Timesheet = typeof timesheets.$inferSelect;
