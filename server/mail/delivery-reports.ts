import { and, eq, inArray } from "drizzle-orm";
import { type MailMessage, type MailStatus, mailMessages } from "../../models/mail.ts";
import type { SuppressionSource } from "../../models/mail-suppressions.ts";
import type { Db } from "../db.ts";
import { type DeliveryStatusReport, isPermanentFailure } from "../tools/delivery-status.ts";
import { normalizeAddress, suppressAddress } from "./suppression.ts";

/** What came back about a sent message: it bounced for good, or its recipient reported it as spam. */
export type DeliveryReport = {
  outcome: "hard_bounce" | "complaint";
  source: Exclude<SuppressionSource, "unsubscribe_page" | "one_click">;
  /** The recipient the report names (defaults to the message's). */
  address?: string | null;
  /** The provider's or the remote server's words. */
  detail: string | null;
};

/** The statuses a report may overwrite: a complaint overwrites a bounce, nothing overwrites a complaint. */
const REPORTABLE: MailStatus[] = ["sent", "sending", "failed", "bounced"];

/**
 * Writes a report on the message (`bounced` or `complained`, the words as its last answer) and
 * puts the address on the suppression list of the message's organisation (the box's for its own
 * mail), in one transaction. Reports arrive more than once (providers retry): a second one changes
 * nothing.
 */
export function recordDeliveryReport(db: Db, message: MailMessage, report: DeliveryReport, now = new Date()): void {
  const status: MailStatus = report.outcome === "hard_bounce" ? "bounced" : "complained";
  const words = report.outcome === "hard_bounce" ? "Bounced" : "Reported as spam";
  db.transaction((tx) => {
    tx.update(mailMessages)
      .set({
        status,
        lastAnswer: `${words} (${report.source})${report.detail ? `: ${report.detail.slice(0, 900)}` : ""}`,
      })
      .where(and(eq(mailMessages.id, message.id), inArray(mailMessages.status, REPORTABLE)))
      .run();
    suppressAddress(
      tx,
      {
        orgId: message.orgId,
        address: report.address || message.toAddress,
        reason: report.outcome,
        source: report.source,
        detail: report.detail,
        messageId: message.id,
      },
      now,
    );
  });
}

/** The outbox message a provider knows by its own id (Resend's email id, SendGrid's X-Message-Id). */
export function findMessageByProviderId(db: Db, provider: string, providerMessageId: string): MailMessage | null {
  return (
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.provider, provider), eq(mailMessages.providerMessageId, providerMessageId)))
      .get() ?? null
  );
}

/** The outbox message by its own id. */
export function findMessageById(db: Db, id: string): MailMessage | null {
  return db.select().from(mailMessages).where(eq(mailMessages.id, id)).get() ?? null;
}

/** The outbox message by its `Message-ID` header (angle brackets optional), as bounce reports quote it. */
export function findMessageByHeader(db: Db, messageIdHeader: string): MailMessage | null {
  const bare = messageIdHeader.trim().replace(/^<|>$/g, "");
  if (!bare) return null;
  return (
    db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.messageIdHeader, `<${bare}>`))
      .get() ?? null
  );
}

/**
 * A bounce report (DSN) that arrived in an organisation's inbound mailbox: the returned message
 * is found by its Message-ID (which only its recipient and this box know), must be that
 * organisation's or the box's own, and each recipient the report names that is the message's
 * own address and failed for good (5.x.x) marks it bounced and suppresses the address.
 * Null when the report is not about a message of this box (it is then kept as ordinary mail).
 */
export function recordBounceReport(
  db: Db,
  receivingOrgId: string,
  report: DeliveryStatusReport,
  now = new Date(),
): { bounced: number } | null {
  const message = report.originalMessageId ? findMessageByHeader(db, report.originalMessageId) : null;
  if (!message || (message.orgId !== null && message.orgId !== receivingOrgId)) return null;
  const failed = report.recipients.filter(
    (recipient) => recipient.address === normalizeAddress(message.toAddress) && isPermanentFailure(recipient),
  );
  for (const recipient of failed) {
    const detail = [recipient.status, recipient.diagnostic].filter(Boolean).join(" ");
    recordDeliveryReport(
      db,
      message,
      { outcome: "hard_bounce", source: "delivery_report", address: recipient.address, detail },
      now,
    );
  }
  return { bounced: failed.length };
}
