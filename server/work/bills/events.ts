import { agentLabel } from "../../../models/agents.ts";
import type { Bill } from "../../../models/bills.ts";
import { recordAudit } from "../../audit/service.ts";
import { type ActorContext, actorOf } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";

/** "Bill 2026-117 from Boiler Service GmbH": how feeds, approvals and notifications name a bill. */
export function billTitle(bill: Pick<Bill, "number" | "supplierName">): string {
  return `Bill${bill.number ? ` ${bill.number}` : ""}${bill.supplierName ? ` from ${bill.supplierName}` : ""}`;
}

type BillEventType = "bill.created" | "bill.updated" | "bill.status_changed" | "bill.review_requested";

/**
 * A bill's event on the feed and its entry in the audit log, as whoever acted: a person or an
 * agent ("Document inbox"), in the caller's transaction.
 */
export function recordBillEvent(
  db: Queryable,
  ctx: ActorContext,
  bill: Pick<Bill, "id" | "number" | "supplierName" | "createdBy">,
  type: BillEventType,
  summary: string,
  data: Record<string, unknown>,
  now: Date,
): void {
  const by = ctx.agentId ? `${agentLabel(ctx.agentId)}: ` : "";
  publishEvent(
    db,
    { orgId: ctx.orgId, userId: ctx.userId },
    {
      type,
      subjectType: "bill",
      subjectId: bill.id,
      summary: `${by}${summary}`,
      data: { title: billTitle(bill), agentId: ctx.agentId ?? null, ...data },
      audience: [bill.createdBy],
    },
    now,
  );
  recordAudit(
    db,
    {
      orgId: ctx.orgId,
      action: type,
      ...actorOf(ctx),
      targetType: "bill",
      targetId: bill.id,
      details: data,
      meta: ctx.meta,
    },
    now,
  );
}

/**
 * Tells the people who manage bills that a bill an agent drafted waits for them (a notification
 * of kind "agents" to everyone with bills.manage, server/notifications/derive.ts).
 */
export function requestBillReview(
  db: Queryable,
  ctx: ActorContext,
  bill: Pick<Bill, "id" | "number" | "supplierName" | "createdBy">,
  reason: string,
  now: Date,
): void {
  recordBillEvent(
    db,
    ctx,
    bill,
    "bill.review_requested",
    `${billTitle(bill)} waits for review: ${reason}`,
    { reason },
    now,
  );
}
