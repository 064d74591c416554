import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

/** Every report of the Reports page, as a schedule names it. */
export const scheduledReports = [
  "hours_by_project",
  "hours_by_person",
  "invoices_by_status",
  "invoices_by_month",
  "tasks_completed",
] as const;
export type ScheduledReport = (typeof scheduledReports)[number];

/** The days a scheduled report covers, counted from the local day it is sent (tasks completed count weeks instead). */
export const reportPeriods = ["last_week", "last_month", "month_to_date"] as const;
export type ReportPeriod = (typeof reportPeriods)[number];

export const reportFormats = ["csv", "pdf"] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const scheduleFrequencies = ["weekly", "monthly"] as const;

/**
 * A report an admin has e-mailed to members of the organisation on a local hour each week or
 * month. `lastSlot` is the local day of the last slot it was sent for: kept in the database so
 * that a restart never sends a slot twice and a box that was off catches up once.
 */
export const reportSchedules = sqliteTable(
  "report_schedules",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    report: text("report", { enum: scheduledReports }).notNull(),
    period: text("period", { enum: reportPeriods }).notNull(),
    /** For tasks completed: how many ISO weeks, this one included. */
    weeks: integer("weeks").notNull(),
    frequency: text("frequency", { enum: scheduleFrequencies }).notNull(),
    /** 0 = Sunday … 6 = Saturday, for weekly schedules. */
    weekday: integer("weekday"),
    /** 1–31 for monthly schedules (the last day of shorter months for 29–31). */
    monthDay: integer("month_day"),
    /** The local hour (0–23) in the organisation's time zone. */
    hour: integer("hour").notNull(),
    /** Members of the organisation; each gets only what their own permissions show. */
    recipientIds: text("recipient_ids", { mode: "json" }).$type<string[]>().notNull(),
    formats: text("formats", { mode: "json" }).$type<ReportFormat[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    lastSlot: text("last_slot"),
    /** Set by "Send now" until the background job has sent it. */
    sendRequestedAt: timestamp("send_requested_at"),
    lastSentAt: timestamp("last_sent_at"),
    /** What the last send did: "sent to 2 people; skipped Bo (left the organisation)". */
    lastResult: text("last_result"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("report_schedules_org_idx").on(table.orgId, table.id)],
);
export type ReportSchedule = typeof reportSchedules.$inferSelect;
