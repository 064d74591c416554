import { and, asc, desc, eq, gt, inArray, isNull, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type DomainEvent, domainEvents } from "../../models/events.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import type { Queryable } from "../db.ts";
import { preparedQuery } from "../db-prepared.ts";

export type EventFilter = {
  orgId: string;
  /** What the reader may see: events needing another permission are left out. */
  permissions: ReadonlySet<Permission>;
  types?: string[];
  /** Types left out (the Pulse's feed leaves out reorders on the board). */
  exceptTypes?: string[];
};

function visibleTo(filter: EventFilter): SQL | undefined {
  const allowed = [...filter.permissions];
  return or(isNull(domainEvents.permission), allowed.length ? inArray(domainEvents.permission, allowed) : undefined);
}

/** The events of the filter's organisation that its reader may see, of its types, and `more`. */
function matching(filter: EventFilter, ...more: (SQL | undefined)[]): SQL | undefined {
  return and(
    eq(domainEvents.orgId, filter.orgId),
    visibleTo(filter),
    filter.types?.length ? inArray(domainEvents.type, filter.types) : undefined,
    ...more,
  );
}

/** Events after `afterSeq`, oldest first: what a live reader has not seen yet. */
export function listEventsAfter(db: Queryable, filter: EventFilter, afterSeq: number, limit = 100): DomainEvent[] {
  return db
    .select()
    .from(domainEvents)
    .where(matching(filter, gt(domainEvents.seq, afterSeq)))
    .orderBy(asc(domainEvents.seq))
    .limit(limit)
    .all();
}

/**
 * The latest events, newest first (the Pulse's feed on first paint); `beforeSeq` pages back,
 * `afterSeq` stops at what a polling reader already has.
 */
export function listRecentEvents(
  db: Queryable,
  filter: EventFilter,
  limit = 20,
  beforeSeq?: number,
  afterSeq?: number,
): DomainEvent[] {
  return db
    .select()
    .from(domainEvents)
    .where(
      matching(
        filter,
        beforeSeq === undefined ? undefined : lt(domainEvents.seq, beforeSeq),
        afterSeq === undefined ? undefined : gt(domainEvents.seq, afterSeq),
        filter.exceptTypes?.length ? notInArray(domainEvents.type, filter.exceptTypes) : undefined,
      ),
    )
    .orderBy(desc(domainEvents.seq))
    .limit(limit)
    .all();
}

/**
 * The distinct subjects of one type that events after `afterSeq` are about, at most `limit`
 * (the task list's "N tasks changed" notice): a bounded read, however busy the organisation.
 */
export function listChangedSubjectIds(
  db: Queryable,
  filter: EventFilter & { subjectType: string },
  afterSeq: number,
  limit: number,
): string[] {
  return db
    .selectDistinct({ id: domainEvents.subjectId })
    .from(domainEvents)
    .where(matching(filter, gt(domainEvents.seq, afterSeq), eq(domainEvents.subjectType, filter.subjectType)))
    .limit(limit)
    .all()
    .map((row) => row.id);
}

/** The highest seq of an organisation: where a fresh live reader starts (every live page reads it). */
export function latestEventSeq(db: Queryable, orgId: string): number {
  const latest = preparedQuery(db, "events.latestSeq", () =>
    db
      .select({ seq: domainEvents.seq })
      .from(domainEvents)
      .where(eq(domainEvents.orgId, sql.placeholder("orgId")))
      .orderBy(desc(domainEvents.seq))
      .limit(1)
      .prepare(),
  );
  return latest.get({ orgId })?.seq ?? 0;
}

/** The JSON an integrator sees; `id` is the event's public id (ids.ts). */
export function eventJson(event: DomainEvent, id: string) {
  return {
    id,
    type: event.type,
    subject: { type: event.subjectType, id: event.subjectId },
    actorId: event.actorId,
    summary: event.summary,
    data: event.data,
    occurredAt: event.createdAt.toISOString(),
  };
}
