import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Running totals that reports and project progress read instead of aggregating every row
// (issue 13: constant in table size). SQLite triggers (migration 0014_summary_triggers) keep
// them up to date in the same transaction as each write to time_entries, invoices and tasks,
// whatever code makes it, and delete a row once nothing counts in it. No foreign keys: a
// cascade (an organisation or project deleted) may reach a total before or after the rows it
// counts, and the triggers leave nothing behind either way.

const totals = {
  orgId: text("org_id").notNull(),
};

const minutes = {
  /** `''` for entries without a project (a primary key cannot hold null). */
  projectKey: text("project_key").notNull(),
  userId: text("user_id").notNull(),
  entries: integer("entries").notNull(),
  minutes: integer("minutes").notNull(),
  billableMinutes: integer("billable_minutes").notNull(),
};

/** Logged time per organisation, month (`YYYY-MM` of the entry's date), project and person. */
export const timeMonthTotals = sqliteTable(
  "time_month_totals",
  { ...totals, month: text("month").notNull(), ...minutes },
  (table) => [primaryKey({ columns: [table.orgId, table.month, table.projectKey, table.userId] })],
);

/** The same per day (`YYYY-MM-DD`): the partial months at the ends of a report's range. */
export const timeDayTotals = sqliteTable(
  "time_day_totals",
  { ...totals, day: text("day").notNull(), ...minutes },
  (table) => [primaryKey({ columns: [table.orgId, table.day, table.projectKey, table.userId] })],
);

const money = {
  status: text("status").notNull(),
  currency: text("currency").notNull(),
  invoices: integer("invoices").notNull(),
  /** Minor units. */
  total: integer("total").notNull(),
};

/** Invoices per organisation, month of the issue date, status and currency. */
export const invoiceMonthTotals = sqliteTable(
  "invoice_month_totals",
  { ...totals, month: text("month").notNull(), ...money },
  (table) => [primaryKey({ columns: [table.orgId, table.month, table.status, table.currency] })],
);

/** The same per issue day. */
export const invoiceDayTotals = sqliteTable(
  "invoice_day_totals",
  { ...totals, day: text("day").notNull(), ...money },
  (table) => [primaryKey({ columns: [table.orgId, table.day, table.status, table.currency] })],
);

/** Tasks that are done, per organisation and UTC day of their completedAt (days since the epoch). */
export const taskCompletionDays = sqliteTable(
  "task_completion_days",
  { ...totals, day: integer("day").notNull(), tasks: integer("tasks").notNull() },
  (table) => [primaryKey({ columns: [table.orgId, table.day] })],
);

/** Tasks per project and status: a project's progress. */
export const projectTaskCounts = sqliteTable(
  "project_task_counts",
  {
    ...totals,
    projectId: text("project_id").notNull(),
    status: text("status").notNull(),
    tasks: integer("tasks").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.projectId, table.status] })],
);
