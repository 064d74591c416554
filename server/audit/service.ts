import { and, desc, eq, gte, inArray, lt, lte, type SQL } from "drizzle-orm";
import { type AuditEvent, auditEvents } from "../../models/audit.ts";
import type { Db, Queryable } from "../db.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import { newId } from "../tools/ids.ts";

/** Where an action came from: copied from the request by the HTTP layer, empty for the CLI. */
export type RequestMeta = { ipAddress?: string | null; userAgent?: string | null; requestId?: string | null };

export type AuditInput = {
  orgId: string | null;
  action: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  /** The agent that acted (server/agents/), instead of a person. */
  actorAgentId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown> | null;
  meta?: RequestMeta;
};

/** Records one audit event. Callers pass what changed, never a secret. */
export function recordAudit(db: Queryable, input: AuditInput, now = new Date()): AuditEvent {
  return db
    .insert(auditEvents)
    .values({
      id: newId("aud", now.getTime()),
      orgId: input.orgId,
      action: input.action,
      actorUserId: input.actorUserId ?? null,
      actorApiKeyId: input.actorApiKeyId ?? null,
      actorAgentId: input.actorAgentId ?? null,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      details: input.details ?? null,
      ipAddress: input.meta?.ipAddress ?? null,
      userAgent: input.meta?.userAgent?.slice(0, 300) ?? null,
      requestId: input.meta?.requestId ?? null,
      createdAt: now,
    })
    .returning()
    .get();
}

export type AuditQuery = {
  action?: string[];
  actorUserId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** The previous page's `nextCursor` (events come newest first). */
  cursor?: string;
  limit: number;
};

/** One page of an organisation's audit events, newest first. */
export function listAuditEvents(
  db: Db,
  orgId: string,
  query: AuditQuery,
): { data: AuditEvent[]; nextCursor: string | null } {
  const filters: (SQL | undefined)[] = [
    eq(auditEvents.orgId, orgId),
    query.action?.length ? inArray(auditEvents.action, query.action) : undefined,
    query.actorUserId ? eq(auditEvents.actorUserId, query.actorUserId) : undefined,
    query.targetId ? eq(auditEvents.targetId, query.targetId) : undefined,
    query.from ? gte(auditEvents.createdAt, query.from) : undefined,
    query.to ? lte(auditEvents.createdAt, query.to) : undefined,
    query.cursor ? lt(auditEvents.id, cursorKey(query.cursor)) : undefined,
  ];
  const rows = db
    .select()
    .from(auditEvents)
    .where(and(...filters))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** Deletes events older than each organisation's retention; returns how many went. */
export function pruneAuditEvents(db: Db, retentionDaysByOrg: Map<string, number>, now = new Date()): number {
  let removed = 0;
  for (const [orgId, days] of retentionDaysByOrg) {
    const before = new Date(now.getTime() - days * 86_400_000);
    removed += db
      .delete(auditEvents)
      .where(and(eq(auditEvents.orgId, orgId), lt(auditEvents.createdAt, before)))
      .returning({ id: auditEvents.id })
      .all().length;
  }
  return removed;
}
