import { and, eq, sql } from "drizzle-orm";
import { type AgentNotice, agentNotices } from "../../models/agents.ts";
import type { Queryable } from "../db.ts";

const keyOf = (subjectId: string, recipient: string) => `${subjectId}\u0000${recipient}`;

/** What the agent last told whom in the organisation, by subject and recipient. */
export function noticesOf(db: Queryable, orgId: string, agentId: string): Map<string, AgentNotice> {
  const rows = db
    .select()
    .from(agentNotices)
    .where(and(eq(agentNotices.orgId, orgId), eq(agentNotices.agentId, agentId)))
    .all();
  return new Map(rows.map((row) => [keyOf(row.subjectId, row.recipient), row]));
}

export function noticeFor(notices: Map<string, AgentNotice>, subjectId: string, recipient: string) {
  return notices.get(keyOf(subjectId, recipient)) ?? null;
}

/** Remembers what was said (one row per subject and recipient, the latest kept). */
export function recordNotices(db: Queryable, rows: AgentNotice[]): void {
  for (let start = 0; start < rows.length; start += 200) {
    const batch = rows.slice(start, start + 200);
    if (batch.length === 0) continue;
    db.insert(agentNotices)
      .values(batch)
      .onConflictDoUpdate({
        target: [agentNotices.orgId, agentNotices.agentId, agentNotices.subjectId, agentNotices.recipient],
        set: {
          level: sql`excluded.level`,
          about: sql`excluded.about`,
          sentAt: sql`excluded.sent_at`,
        },
      })
      .run();
  }
}
