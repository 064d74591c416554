import type { SQLQueryBindings } from "bun:sqlite";
import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import { queryPlan } from "../db-prepared.ts";
import type { ProviderAttachment, ProviderMessage, ProviderName, SendOutcome } from "./providers/types.ts";

/** How retries space out: the first after `baseMs`, each next one twice as late, never more than `maxMs`. */
export type Backoff = { baseMs: number; maxMs: number };
export const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, maxMs: 60 * 60_000 };

/** The wait before the next try of a message that has failed `attempts` times. */
export function backoffDelayMs(attempts: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.baseMs * 2 ** Math.max(0, attempts - 1), backoff.maxMs);
}

/** The Message-ID of an outbox message: its id at the sender's domain, so that every retry carries the same one. */
export function messageIdHeaderFor(id: string, from: string): string {
  const domain = from.split("@")[1]?.trim() || "opsbox.invalid";
  return `<${id}@${domain}>`;
}

/** Whose messages a step takes: one organisation's, or (`orgId: null`) the box's own (password resets, alerts). */
export type MailScope = { orgId: string | null };

const inScope = (scope: MailScope) =>
  scope.orgId === null ? isNull(mailMessages.orgId) : eq(mailMessages.orgId, scope.orgId);

const dueBy = (now: Date) =>
  and(eq(mailMessages.status, "queued"), or(isNull(mailMessages.nextAttemptAt), lte(mailMessages.nextAttemptAt, now)));

/** The next due queued message (of `scope` only, when given), oldest due first. */
function nextDueQuery(db: Queryable, now: Date, scope?: MailScope) {
  return db
    .select({ id: mailMessages.id, messageIdHeader: mailMessages.messageIdHeader })
    .from(mailMessages)
    .where(and(dueBy(now), scope ? inScope(scope) : undefined))
    .orderBy(asc(mailMessages.nextAttemptAt), asc(mailMessages.id))
    .limit(1);
}

/** SQLite's plan for finding an organisation's next due message (tests check its index use). */
export function explainNextDue(db: Queryable, now: Date, scope: MailScope): string[] {
  const { sql: text, params } = nextDueQuery(db, now, scope).toSQL();
  return queryPlan(db, text, params as SQLQueryBindings[]);
}

/**
 * Takes the next due queued message for sending (of `scope` only, when given): `sending`, one
 * more attempt, its Message-ID fixed. The conditional update is the claim: one process, one
 * sending lane gets a message.
 */
export function claimNextMessage(
  db: Queryable,
  provider: ProviderName,
  from: string,
  now: Date,
  scope?: MailScope,
): MailMessage | null {
  for (;;) {
    const next = nextDueQuery(db, now, scope).get();
    if (!next) return null;
    const claimed = db
      .update(mailMessages)
      .set({
        status: "sending",
        attempts: sql`${mailMessages.attempts} + 1`,
        provider,
        messageIdHeader: next.messageIdHeader ?? messageIdHeaderFor(next.id, from),
      })
      .where(and(eq(mailMessages.id, next.id), eq(mailMessages.status, "queued")))
      .returning()
      .get();
    if (claimed) return claimed;
  }
}

/** The message as a provider sends it, with its attachments' bytes. */
export function providerMessageOf(message: MailMessage, attachments: ProviderAttachment[] = []): ProviderMessage {
  return {
    id: message.id,
    messageIdHeader: message.messageIdHeader ?? `<${message.id}@opsbox.invalid>`,
    date: message.createdAt,
    to: message.toAddress,
    subject: message.subject,
    text: message.textBody,
    html: message.htmlBody,
    replyTo: message.replyTo,
    attachments,
  };
}

export type RecordPolicy = { backoff: Backoff; giveUpAfterMs: number; retry: boolean };

/**
 * Writes what the provider answered: `sent`; `failed` on a permanent failure, or on a temporary
 * one once the give-up time since it was queued has passed (or when `retry` is off); otherwise
 * back to `queued` for the next try after the back-off. Returns the new status.
 */
export function recordOutcome(
  db: Queryable,
  message: MailMessage,
  outcome: SendOutcome,
  policy: RecordPolicy,
  now: Date,
): MailMessage["status"] {
  const where = and(eq(mailMessages.id, message.id), eq(mailMessages.status, "sending"));
  if (outcome.status === "sent") {
    db.update(mailMessages)
      .set({
        status: "sent",
        providerMessageId: outcome.providerMessageId,
        lastAnswer: outcome.answer,
        sentAt: now,
        nextAttemptAt: null,
      })
      .where(where)
      .run();
    return "sent";
  }
  const queuedAt = (message.queuedAt ?? message.createdAt).getTime();
  const nextAt = now.getTime() + backoffDelayMs(message.attempts, policy.backoff);
  const giveUp = outcome.status === "permanent_failure" || !policy.retry || nextAt - queuedAt > policy.giveUpAfterMs;
  db.update(mailMessages)
    .set(
      giveUp
        ? { status: "failed", lastAnswer: outcome.answer, nextAttemptAt: null }
        : { status: "queued", lastAnswer: outcome.answer, nextAttemptAt: new Date(nextAt) },
    )
    .where(where)
    .run();
  return giveUp ? "failed" : "queued";
}

/** A claimed message the suppression list stops: `suppressed`, never handed to the provider, with the reason as its answer. */
export function recordSuppressed(db: Queryable, message: MailMessage, reason: string): MailMessage["status"] {
  db.update(mailMessages)
    .set({ status: "suppressed", lastAnswer: `Not sent: ${reason}.`, nextAttemptAt: null })
    .where(and(eq(mailMessages.id, message.id), eq(mailMessages.status, "sending")))
    .run();
  return "suppressed";
}

/**
 * Messages a stopped or killed process left `sending` go back to the queue, to be sent again at
 * once with the same Message-ID (and, with Resend, the same Idempotency-Key). Returns how many.
 */
export function requeueInterruptedMessages(db: Queryable): number {
  return db
    .update(mailMessages)
    .set({ status: "queued", nextAttemptAt: null })
    .where(eq(mailMessages.status, "sending"))
    .returning({ id: mailMessages.id })
    .all().length;
}

/**
 * The scopes with queued messages (each organisation, and null for the box's own mail) and when
 * the earliest of each is due: the outbox job's `waiting`, read every second.
 */
export function listScopesWithMailQueued(db: Queryable): { orgId: string | null; dueAt: Date }[] {
  const earliest = sql<number>`min(coalesce(${mailMessages.nextAttemptAt}, 0))`;
  return db
    .select({ orgId: mailMessages.orgId, dueAt: earliest })
    .from(mailMessages)
    .where(eq(mailMessages.status, "queued"))
    .groupBy(mailMessages.orgId)
    .all()
    .map((row) => ({ orgId: row.orgId, dueAt: new Date(row.dueAt) }));
}

/** How many of the scope's messages are in the provider's hands or due now (a drain's "n of m"). */
export function countMessagesLeft(db: Queryable, scope: MailScope, now: Date): number {
  return (
    db
      .select({ count: sql<number>`count(*)` })
      .from(mailMessages)
      .where(and(or(eq(mailMessages.status, "sending"), dueBy(now)), inScope(scope)))
      .get()?.count ?? 0
  );
}
