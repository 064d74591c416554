import { and, desc, eq, inArray } from "drizzle-orm";
import { agentLabel } from "../../../models/agents.ts";
import { type DomainEvent, domainEvents } from "../../../models/events.ts";
import type { PulseAgentRun } from "../../../views/pages/work/pulse/types.ts";
import type { Queryable } from "../../db.ts";

/** What the section shows of an agent's runs: how they ended (a start says nothing yet). */
export const agentOutcomeTypes = ["agent.run.succeeded", "agent.run.failed", "agent.run.quarantined"];

/** How far back the section looks: the organisation's latest events, however busy it is. */
const LOOK_BACK_EVENTS = 2_000;

const outcomes: Record<string, PulseAgentRun["outcome"]> = {
  "agent.run.succeeded": "finished",
  "agent.run.failed": "failed",
  "agent.run.quarantined": "stopped",
};

/**
 * The organisation's latest agent run outcomes, newest first, among its last LOOK_BACK_EVENTS
 * events: an index-only read of domain_events_org_seq_idx, then those rows by seq, so an
 * organisation whose agents never run does not scan its whole history.
 */
export function listAgentOutcomes(db: Queryable, orgId: string, limit: number): DomainEvent[] {
  const recent = db
    .select({ seq: domainEvents.seq })
    .from(domainEvents)
    .where(eq(domainEvents.orgId, orgId))
    .orderBy(desc(domainEvents.seq))
    .limit(LOOK_BACK_EVENTS);
  return db
    .select()
    .from(domainEvents)
    .where(and(inArray(domainEvents.seq, recent), inArray(domainEvents.type, agentOutcomeTypes)))
    .orderBy(desc(domainEvents.seq))
    .limit(limit)
    .all();
}

/** A run event as a row of the section: the agent, how the run ended, what it did and when. */
export function agentRunOf(event: DomainEvent): PulseAgentRun {
  const agentId = typeof event.data.agentId === "string" ? event.data.agentId : event.subjectId;
  return {
    agentId,
    agentName: agentLabel(agentId),
    outcome: outcomes[event.type] ?? "finished",
    text: typeof event.data.text === "string" ? event.data.text : null,
    at: event.createdAt,
  };
}
