import { and, eq } from "drizzle-orm";
import { type MailMessage, type MailStatus, mailMessages } from "../../models/mail.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { AppError, notFound } from "../http/errors.ts";
import { type OutboxReader, outboxScope } from "./outbox.ts";
import { mailDeliveryConfigured } from "./settings.ts";
import { wakeOutboxWorkers } from "./wake.ts";

/** What an admin may send again: refused, reported back, stopped by the suppression list (sent only once the entry is removed), or drafts. */
export const RETRYABLE_STATUSES: MailStatus[] = ["failed", "bounced", "complained", "suppressed", "logged"];

/** The message if the reader may see it (their organisation's, or box-wide and sent to them); else 404. */
export function outboxMessageOrNotFound(ctx: ServiceContext, reader: OutboxReader, id: string): MailMessage {
  const message = ctx.db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.id, id), outboxScope(reader)))
    .get();
  if (!message) throw notFound("message");
  return message;
}

/**
 * Queues a failed, bounced, suppressed or draft-log message again, now, with a fresh give-up time. A draft
 * (written before delivery was configured) is sent only this way, never by itself.
 */
export function retryMessage(ctx: ServiceContext, reader: OutboxReader, id: string, now = new Date()): MailMessage {
  const message = outboxMessageOrNotFound(ctx, reader, id);
  if (!RETRYABLE_STATUSES.includes(message.status))
    throw new AppError("conflict", `A ${message.status} message cannot be retried.`);
  if (!mailDeliveryConfigured(ctx.db))
    throw new AppError("conflict", "No e-mail provider is configured: set one up in Settings → E-mail first.");
  const retried = ctx.db
    .update(mailMessages)
    .set({ status: "queued", queuedAt: now, nextAttemptAt: null })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, message.status)))
    .returning()
    .get();
  if (!retried) throw new AppError("conflict", "The message changed meanwhile; reload and try again.");
  audit(ctx, "mail.retried", id, message.status);
  setTimeout(wakeOutboxWorkers, 0);
  return retried;
}

/** Takes a queued message out of the queue for good (status `cancelled`); one already in the provider's hands cannot be. */
export function cancelMessage(ctx: ServiceContext, reader: OutboxReader, id: string): MailMessage {
  const message = outboxMessageOrNotFound(ctx, reader, id);
  const cancelled = ctx.db
    .update(mailMessages)
    .set({ status: "cancelled", nextAttemptAt: null })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, "queued")))
    .returning()
    .get();
  if (!cancelled) throw new AppError("conflict", `A ${message.status} message cannot be cancelled.`);
  audit(ctx, "mail.cancelled", id, message.status);
  return cancelled;
}

function audit(ctx: ServiceContext, action: string, id: string, from: string): void {
  recordAudit(ctx.db, {
    orgId: ctx.orgId,
    action,
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    targetType: "mail_message",
    targetId: id,
    details: { from },
    meta: ctx.meta,
  });
}
