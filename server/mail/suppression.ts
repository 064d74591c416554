import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { MailMessage } from "../../models/mail.ts";
import {
  type MailSuppression,
  mailSuppressions,
  type SuppressionReason,
  type SuppressionSource,
} from "../../models/mail-suppressions.ts";
import type { Queryable } from "../db.ts";
import { newId } from "../tools/ids.ts";

/** Addresses are compared trimmed and lower-cased (the local part is case-sensitive in theory, never in practice). */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** What an unsubscribe cannot stop: essential mail ignores `unsubscribed` entries, never bounces or complaints. */
const STOPS_ESSENTIAL: SuppressionReason[] = ["hard_bounce", "complaint"];

const reasonWords: Record<SuppressionReason, string> = {
  unsubscribed: "the address unsubscribed",
  hard_bounce: "the address bounced for good",
  complaint: "the address reported this mail as spam",
};

/**
 * The entries that stop `message`: for an organisation's message, that organisation's entries
 * and the box-wide ones; for a box-wide message (password resets, health alerts), the box-wide
 * entries and any organisation's bounces and complaints (the address is dead, or its owner said
 * no, whoever wrote). Essential mail is stopped only by bounces and complaints.
 */
export function suppressionsOf(db: Queryable, message: Pick<MailMessage, "orgId" | "toAddress" | "kind">) {
  const reasons = message.kind === "essential" ? STOPS_ESSENTIAL : undefined;
  const scope = message.orgId
    ? or(eq(mailSuppressions.orgId, message.orgId), isNull(mailSuppressions.orgId))
    : or(isNull(mailSuppressions.orgId), inArray(mailSuppressions.reason, STOPS_ESSENTIAL));
  return db
    .select()
    .from(mailSuppressions)
    .where(
      and(
        eq(mailSuppressions.address, normalizeAddress(message.toAddress)),
        scope,
        reasons ? inArray(mailSuppressions.reason, reasons) : undefined,
      ),
    )
    .all();
}

/** Why `message` must not be sent (in words, for the outbox), or null. */
export function suppressionReason(db: Queryable, message: MailMessage): string | null {
  const [entry] = suppressionsOf(db, message);
  if (!entry) return null;
  return `${reasonWords[entry.reason]} (on the suppression list since ${entry.createdAt.toISOString().slice(0, 10)})`;
}

export type NewSuppression = {
  orgId: string | null;
  address: string;
  reason: SuppressionReason;
  source: SuppressionSource;
  detail?: string | null;
  messageId?: string | null;
};

/** Puts an address on the list; an entry already there (same organisation, address and reason) is kept as it is. Returns whether it was new. */
export function suppressAddress(db: Queryable, entry: NewSuppression, now = new Date()): boolean {
  const added = db
    .insert(mailSuppressions)
    .values({
      id: newId("sup", now.getTime()),
      orgId: entry.orgId,
      address: normalizeAddress(entry.address),
      reason: entry.reason,
      source: entry.source,
      detail: entry.detail?.slice(0, 500) ?? null,
      messageId: entry.messageId ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: mailSuppressions.id })
    .all();
  return added.length > 0;
}

/** Whether the address has unsubscribed from this organisation's (null: the box's) mail. */
export function isUnsubscribed(db: Queryable, orgId: string | null, address: string): boolean {
  return Boolean(
    db
      .select({ id: mailSuppressions.id })
      .from(mailSuppressions)
      .where(
        and(
          orgId ? eq(mailSuppressions.orgId, orgId) : isNull(mailSuppressions.orgId),
          eq(mailSuppressions.address, normalizeAddress(address)),
          eq(mailSuppressions.reason, "unsubscribed"),
        ),
      )
      .get(),
  );
}

export type { MailSuppression };
