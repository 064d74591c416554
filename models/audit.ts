import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Who did what, from where: kept for the organisation's audit retention. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    /** Null for events of the whole box (setup, a new organisation). */
    orgId: text("org_id"),
    actorUserId: text("actor_user_id"),
    actorApiKeyId: text("actor_api_key_id"),
    /** The agent that acted (`stuck-tasks`); set instead of a user for the agents' own changes. */
    actorAgentId: text("actor_agent_id"),
    /** `auth.sign_in`, `auth.sign_in_failed`, `user.role_changed`, `api_key.created`, … */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    /** What changed, as `{"field": {"from": …, "to": …}}` or other detail; never secrets. */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (table) => [
    index("audit_events_org_created_idx").on(table.orgId, table.createdAt),
    index("audit_events_action_idx").on(table.orgId, table.action),
  ],
);
export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
