import { sql } from "drizzle-orm";
import type { ApprovalSubjectType } from "../../models/approvals.ts";
import { type DomainEvent, domainEvents } from "../../models/events.ts";
import type { Queryable } from "../db.ts";
import { preparedQuery } from "../db-prepared.ts";
import { announceEvents } from "./bus.ts";
import { type EventType, eventPermission } from "./types.ts";

export type EventInput = {
  /** `task.created`, `approval.decided`, …: listed in types.ts, which says who may see it. */
  type: EventType;
  subjectType: string;
  subjectId: string;
  /** One line for feeds: "Ada moved “Fix the boiler” to Done". */
  summary: string;
  data?: Record<string, unknown>;
  /** Approval events: what the request approves (an invoice's approval is seen by those who manage invoices). */
  approves?: ApprovalSubjectType;
  /** User ids it concerns directly (assignee, approvers). */
  audience?: (string | null | undefined)[];
};

/**
 * Records a domain event in the same transaction as the change it describes and announces it
 * to live readers once that transaction is over. Who may see it follows from its type (types.ts).
 */
export function publishEvent(
  db: Queryable,
  actor: { orgId: string; userId: string | null },
  input: EventInput,
  now = new Date(),
): DomainEvent {
  const audience = [...new Set(input.audience?.filter((id): id is string => typeof id === "string"))];
  const values = {
    orgId: actor.orgId,
    type: input.type,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    actorId: actor.userId,
    permission: eventPermission(input.type, input.approves),
    audience,
    summary: input.summary,
    data: input.data ?? {},
    createdAt: now,
  };
  const inserted = insertEvent(db).get({
    ...values,
    audience: JSON.stringify(audience),
    data: JSON.stringify(values.data),
    createdAt: now.getTime(),
  });
  if (!inserted) throw new Error("the event was not recorded");
  const event: DomainEvent = { seq: inserted.seq, ...values };
  announceEvents(actor.orgId);
  return event;
}

/** A bare placeholder: the caller passes driver values (JSON text, ms), null included. */
const ph = (name: string) => sql`${sql.placeholder(name)}`;

// Prepared once per connection: every change of the workspace writes one event.
function insertEvent(db: Queryable) {
  return preparedQuery(db, "events.insert", () =>
    db
      .insert(domainEvents)
      .values({
        orgId: ph("orgId"),
        type: ph("type"),
        subjectType: ph("subjectType"),
        subjectId: ph("subjectId"),
        actorId: ph("actorId"),
        permission: ph("permission"),
        audience: ph("audience"),
        summary: ph("summary"),
        data: ph("data"),
        createdAt: ph("createdAt"),
      })
      .returning({ seq: domainEvents.seq })
      .prepare(),
  );
}
