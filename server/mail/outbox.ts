import { desc, eq, isNull, or } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../ids.ts";

export type OutgoingMail = {
  orgId: string | null;
  to: string;
  subject: string;
  text: string;
  /** Which kind of message: `password_reset`, `invitation`, … */
  template: string;
};

/**
 * Writes a message to the outbox. Until the mail capability configures a provider, every
 * message stays there as the draft log (status `logged`), which admins can read.
 * The log line names the message, never its body: bodies carry single-use links.
 */
export function queueMail(db: Queryable, log: Logger, mail: OutgoingMail, now = new Date()): MailMessage {
  const message = db
    .insert(mailMessages)
    .values({
      id: newId("msg", now.getTime()),
      orgId: mail.orgId,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      template: mail.template,
      status: "logged",
      createdAt: now,
    })
    .returning()
    .get();
  log.info({ mailId: message.id, template: mail.template }, "e-mail written to the draft log");
  return message;
}

/**
 * The newest messages of one organisation, and with `includeBoxWide` also those of no
 * organisation (password resets), which only the instance admin may read: their links
 * would let the reader take over the account.
 */
export function listOutbox(
  db: Queryable,
  input: { orgId: string; includeBoxWide: boolean; limit: number },
): MailMessage[] {
  const scope = input.includeBoxWide
    ? or(eq(mailMessages.orgId, input.orgId), isNull(mailMessages.orgId))
    : eq(mailMessages.orgId, input.orgId);
  return db.select().from(mailMessages).where(scope).orderBy(desc(mailMessages.id)).limit(input.limit).all();
}
