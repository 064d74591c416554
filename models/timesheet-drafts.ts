import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

export const draftDecisions = ["accepted", "discarded"] as const;

/**
 * A suggestion of the timesheet drafter that a person accepted or discarded: either way it is
 * not suggested again for that week. The key names the day and the work
 * (`2030-01-08:tsk_…`, `2030-01-08:gh:acme/site`).
 */
export const timesheetDraftDecisions = sqliteTable(
  "timesheet_draft_decisions",
  {
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The Monday, `YYYY-MM-DD`. */
    weekStart: text("week_start").notNull(),
    suggestionKey: text("suggestion_key").notNull(),
    decision: text("decision", { enum: draftDecisions }).notNull(),
    decidedAt: timestamp("decided_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.userId, table.weekStart, table.suggestionKey] })],
);
