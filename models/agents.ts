import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns.ts";
import { orgId } from "./org-column.ts";

/**
 * What an agent last told someone about a record, so that it does not say it again too soon:
 * the stuck-task agent per task and person, the approval nudger per request and approver, the
 * invoice follow-up per invoice (recipient `customer`, level the days overdue it last reminded
 * at). It lives in the database so that a cooldown survives a restart.
 */
export const agentNotices = sqliteTable(
  "agent_notices",
  {
    orgId: orgId(),
    /** `stuck-tasks`, `approval-nudger`, … (server/agents/registry.ts). */
    agentId: text("agent_id").notNull(),
    /** The task or approval request it was about. */
    subjectId: text("subject_id").notNull(),
    /** The person told (a user id), or `digest` for the alert address. */
    recipient: text("recipient").notNull(),
    /** What it said: the urgency level, or `stuck`. */
    level: text("level").notNull(),
    /**
     * The record's state it was about: a task's last activity, an approval's step. A notice about
     * an older state is no notice about this one.
     */
    about: text("about").notNull(),
    sentAt: timestamp("sent_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.agentId, table.subjectId, table.recipient] })],
);
export type AgentNotice = typeof agentNotices.$inferSelect;

/** The agents this box has, by stable id (the setup wizard offers exactly these). */
export const agentIds = [
  "stuck-tasks",
  "approval-nudger",
  "daily-digest",
  "timesheet-drafter",
  "invoice-follow-up",
  "document-parser",
] as const;
export type AgentId = (typeof agentIds)[number];

/** How audit entries, histories and feeds name an agent that acted. */
export const agentLabels: Record<AgentId, string> = {
  "stuck-tasks": "Stuck-task agent",
  "approval-nudger": "Approval nudger",
  "daily-digest": "Daily digest",
  "timesheet-drafter": "Timesheet drafter",
  "invoice-follow-up": "Invoice follow-up",
  "document-parser": "Document inbox",
};

export function isAgentId(value: string): value is AgentId {
  return (agentIds as readonly string[]).includes(value);
}

/** An agent's name, or its id for one this box no longer has. */
export const agentLabel = (id: string): string => (isAgentId(id) ? agentLabels[id] : id);
