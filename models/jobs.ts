import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, updatedAt } from "./columns.ts";
import { organizations, users } from "./identity.ts";

export const jobRunStatuses = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "retrying",
  "cancelled",
  "timed_out",
] as const;
export type JobRunStatus = (typeof jobRunStatuses)[number];

/** The statuses of a run that is not over yet. */
export const openJobRunStatuses = ["queued", "running", "retrying"] as const satisfies readonly JobRunStatus[];

export const jobRunTriggers = ["schedule", "manual", "event"] as const;
export type JobRunTrigger = (typeof jobRunTriggers)[number];

/** A link a run's result points at: "Invoice INV-0012" → /invoices/inv_…. */
export type JobResultLink = { label: string; href: string };

/**
 * One run of a registered job (server/jobs/): for one organisation, or for the whole box
 * (`orgId` null). Retries are attempts of the same run; the log keeps its last lines only.
 */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: text("id").primaryKey(),
    jobId: text("job_id").notNull(),
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    status: text("status", { enum: jobRunStatuses }).notNull(),
    trigger: text("trigger", { enum: jobRunTriggers }).notNull(),
    attempt: integer("attempt").notNull().default(0),
    queuedAt: timestamp("queued_at").notNull(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    durationMs: integer("duration_ms"),
    /** When a run waiting after a failed attempt (`retrying`) is tried again. */
    retryAt: timestamp("retry_at"),
    progress: integer("progress").notNull().default(0),
    progressMessage: text("progress_message"),
    log: text("log", { mode: "json" }).$type<string[]>().notNull(),
    resultText: text("result_text"),
    resultLinks: text("result_links", { mode: "json" }).$type<JobResultLink[]>(),
    error: text("error"),
    /** Who asked for a manual run. */
    requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
  },
  (table) => [
    index("job_runs_status_idx").on(table.status),
    index("job_runs_job_idx").on(table.jobId, table.orgId, table.queuedAt),
    index("job_runs_org_idx").on(table.orgId, table.queuedAt),
  ],
);
export type JobRun = typeof jobRuns.$inferSelect;

/**
 * A job's standing in one scope (an organisation's id, or `box` for box-wide jobs): how many
 * runs failed in a row, and the quarantine that stops it once too many did.
 */
export const jobStates = sqliteTable(
  "job_states",
  {
    jobId: text("job_id").notNull(),
    scope: text("scope").notNull(),
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    quarantinedAt: timestamp("quarantined_at"),
    /** The last error when it was quarantined. */
    quarantineReason: text("quarantine_reason"),
    releasedAt: timestamp("released_at"),
    releasedBy: text("released_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.scope] })],
);
export type JobState = typeof jobStates.$inferSelect;
