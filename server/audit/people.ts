import { and, eq, inArray } from "drizzle-orm";
import type { AuditEvent } from "../../models/audit.ts";
import { auditEvents } from "../../models/audit.ts";
import { apiKeys, memberships, users } from "../../models/identity.ts";
import type { Db } from "../db.ts";

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
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(users.name)
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

/** Names the actors and targets of a page of events: people by name, keys by prefix. */
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
  const people = new Map(
    userIds.length === 0
      ? []
      : db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(inArray(users.id, userIds))
          .all()
          .map((user) => [user.id, user.name]),
  );
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
  const personLabel = (id: string) => people.get(id) ?? id;
  const keyLabel = (id: string) => `API key ${keys.get(id) ?? id}`;
  return events.map((event) => {
    const actor = [
      event.actorUserId ? personLabel(event.actorUserId) : null,
      event.actorApiKeyId ? keyLabel(event.actorApiKeyId) : null,
    ].filter(Boolean);
    let target: string | null = event.targetId;
    if (event.targetType === "user" && event.targetId) target = personLabel(event.targetId);
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
