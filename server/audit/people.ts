import { and, eq, inArray, sql } from "drizzle-orm";
import { agentLabel } from "../../models/agents.ts";
import type { AuditEvent } from "../../models/audit.ts";
import { auditEvents } from "../../models/audit.ts";
import { apiKeys, memberships, users } from "../../models/identity.ts";
import type { Db } from "../db.ts";
import { orgNamesOf } from "../members/directory.ts";

/** Someone the organisation cannot name: no longer (or never) a member, and no snapshot kept. */
export const OUTSIDER = "someone outside the organisation";

/** The organisation's own name for a member when it has one, else the person's. */
const shownName = sql<string>`coalesce(${memberships.displayName}, ${users.name})`;

/** One event as the console's table shows it. */
export type AuditRow = {
  id: string;
  createdAt: Date;
  action: string;
  /** Null when nobody was signed in (a failed sign-in) or the box itself acted. */
  actor: string | null;
  target: string | null;
  ipAddress: string | null;
  requestId: string | null;
  details: string | null;
};

/** The people of an organisation, for the audit log's person filter. */
export function listOrganizationPeople(db: Db, orgId: string): { id: string; name: string; email: string }[] {
  return db
    .select({ id: users.id, name: shownName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(shownName)
    .all();
}

/** Every action the organisation's log holds, for the action filter. */
export function listAuditActions(db: Db, orgId: string): string[] {
  return db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(auditEvents.action)
    .all()
    .map((row) => row.action);
}

/**
 * Names the actors and targets of a page of events: people as the organisation knows them (a
 * member by its name for them, a pending invitee by what it typed), keys by prefix. Anyone else
 * (someone who has left, or declined) is never named by their account's name now: the e-mail
 * the event kept, if any, else OUTSIDER.
 */
export function describeAuditEvents(db: Db, orgId: string, events: AuditEvent[]): AuditRow[] {
  const idsOf = (pick: (event: AuditEvent) => string | null | undefined) => [
    ...new Set(events.flatMap((event) => pick(event) ?? [])),
  ];
  const userIds = idsOf((event) => event.actorUserId).concat(
    idsOf((event) => (event.targetType === "user" ? event.targetId : null)),
  );
  const keyIds = idsOf((event) => event.actorApiKeyId).concat(
    idsOf((event) => (event.targetType === "api_key" ? event.targetId : null)),
  );
  const people = orgNamesOf(db, orgId, userIds);
  const keys = new Map(
    keyIds.length === 0
      ? []
      : db
          .select({ id: apiKeys.id, prefix: apiKeys.prefix })
          .from(apiKeys)
          .where(and(inArray(apiKeys.id, keyIds), eq(apiKeys.orgId, orgId)))
          .all()
          .map((key) => [key.id, key.prefix]),
  );
  const personLabel = (id: string, snapshot: string | null) => people.get(id) ?? snapshot ?? OUTSIDER;
  const keyLabel = (id: string) => `API key ${keys.get(id) ?? id}`;
  return events.map((event) => {
    const email = typeof event.details?.email === "string" ? event.details.email : null;
    const targetsUser = event.targetType === "user" && event.targetId;
    // The e-mail an event kept belongs to its target person, else to its actor (a failed sign-in).
    const actorSnapshot = !targetsUser || event.targetId === event.actorUserId ? email : null;
    const actor = [
      event.actorUserId ? personLabel(event.actorUserId, actorSnapshot) : null,
      event.actorApiKeyId ? keyLabel(event.actorApiKeyId) : null,
      event.actorAgentId ? agentLabel(event.actorAgentId) : null,
    ].filter(Boolean);
    let target: string | null = event.targetId;
    if (event.targetType === "user" && event.targetId) target = personLabel(event.targetId, email);
    else if (event.targetType === "api_key" && event.targetId) target = keyLabel(event.targetId);
    else if (event.targetType) target = `${event.targetType} ${event.targetId ?? ""}`.trim();
    return {
      id: event.id,
      createdAt: event.createdAt,
      action: event.action,
      actor: actor.length > 0 ? actor.join(" via ") : null,
      target,
      ipAddress: event.ipAddress,
      requestId: event.requestId,
      details: event.details ? JSON.stringify(event.details) : null,
    };
  });
}
