import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./identity.ts";

/**
 * Domain events (`task.created`, `approval.decided`, …), newest last. `seq` only grows, so a
 * reader resumes after the last one it saw (the SSE `Last-Event-ID`); the public id is `evt_<seq>`.
 */
export const domainEvents = sqliteTable(
  "domain_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    /** null when the box itself acted (an agent, a scheduled job). */
    actorId: text("actor_id"),
    /** Who may see it: a permission name; null = everyone who may read the workspace. */
    permission: text("permission"),
    /** People it concerns directly (assignee, approver…): their Pulse highlights it. */
    audience: text("audience", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** A one-line summary for feeds, written when the event happened. */
    summary: text("summary").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("domain_events_org_seq_idx").on(table.orgId, table.seq)],
);
export type DomainEvent = typeof domainEvents.$inferSelect;
