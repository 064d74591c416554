import { and, asc, eq } from "drizzle-orm";
import { agentLabel } from "../../../models/agents.ts";
import { invoiceHistory } from "../../../models/billing.ts";
import type { Queryable } from "../../db.ts";
import { namesOf } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";

/** Who acted on an invoice: a person, an agent, or neither (the box's own jobs). */
export type HistoryActor = { orgId: string; userId: string | null; agentId?: string | null | undefined };

/** One line of an invoice's history, in the caller's transaction. */
export function recordInvoiceHistory(
  db: Queryable,
  actor: HistoryActor,
  invoiceId: string,
  entry: { kind: "status" | "reminder"; text: string },
  now: Date,
): void {
  db.insert(invoiceHistory)
    .values({
      id: newId("chg", now.getTime()),
      orgId: actor.orgId,
      invoiceId,
      actorUserId: actor.userId,
      actorAgentId: actor.agentId ?? null,
      kind: entry.kind,
      text: entry.text,
      createdAt: now,
    })
    .run();
}

/** An invoice's history as its page shows it, oldest first, each line with who did it. */
export type InvoiceHistoryLine = { text: string; by: string; at: Date };

export function listInvoiceHistory(db: Queryable, orgId: string, invoiceId: string): InvoiceHistoryLine[] {
  const rows = db
    .select()
    .from(invoiceHistory)
    .where(and(eq(invoiceHistory.orgId, orgId), eq(invoiceHistory.invoiceId, invoiceId)))
    .orderBy(asc(invoiceHistory.id))
    .all();
  const names = namesOf(
    db,
    orgId,
    rows.map((row) => row.actorUserId),
  );
  return rows.map((row) => ({
    text: row.text,
    by: row.actorAgentId
      ? agentLabel(row.actorAgentId)
      : row.actorUserId
        ? (names.get(row.actorUserId) ?? "A former member")
        : "Opsbox",
    at: row.createdAt,
  }));
}
