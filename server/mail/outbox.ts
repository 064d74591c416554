import { and, count, desc, eq, isNull, lt, or, type SQL } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { type MailKind, type MailMessage, type MailStatus, mailMessages } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../tools/ids.ts";
import { recordAttachments, type StoredAttachment } from "./attachments.ts";
import { mailDeliveryConfigured } from "./settings.ts";
import { wakeOutboxWorkers } from "./wake.ts";

export { mailDeliveryConfigured };

export type OutgoingMail = {
  orgId: string | null;
  to: string;
  subject: string;
  text: string;
  /** Which kind of message: `password_reset`, `invitation`, … */
  template: string;
  /** An HTML part beside the text one. */
  html?: string;
  replyTo?: string;
  /** Essential mail ignores unsubscribes; by default a template of ESSENTIAL_TEMPLATES is essential, any other not. */
  kind?: MailKind;
  /** Files already stored with storeAttachment (the invoice PDF). */
  attachments?: StoredAttachment[];
};

/** Mail a person must get whatever they unsubscribed from: access to their account, and the box's own alarms. */
export const ESSENTIAL_TEMPLATES = new Set([
  "password_reset",
  "invitation",
  "membership_invitation",
  "health_alert",
  "health_recovered",
  "invoice",
  "mail_test",
]);

/**
 * Writes a message to the outbox, always first (in the caller's transaction where there is one).
 * With a provider configured it is `queued` and the outbox worker sends it; without, it stays in
 * the draft log (`logged`), which admins can read, and is never sent unless an admin retries it.
 * The log line names the message, never its body: bodies carry single-use links.
 */
export function queueMail(db: Queryable, log: Logger, mail: OutgoingMail, now = new Date()): MailMessage {
  const queued = mailDeliveryConfigured(db);
  const message = db
    .insert(mailMessages)
    .values({
      id: newId("msg", now.getTime()),
      orgId: mail.orgId,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      replyTo: mail.replyTo ?? null,
      template: mail.template,
      kind: mail.kind ?? (ESSENTIAL_TEMPLATES.has(mail.template) ? "essential" : "non_essential"),
      status: queued ? "queued" : "logged",
      queuedAt: queued ? now : null,
      createdAt: now,
    })
    .returning()
    .get();
  recordAttachments(db, message.id, mail.attachments ?? []);
  log.info(
    { mailId: message.id, template: mail.template },
    queued ? "e-mail queued for sending" : "e-mail written to the draft log",
  );
  // After the caller's transaction has committed: the worker must find the row when it looks.
  if (queued) setTimeout(wakeOutboxWorkers, 0);
  return message;
}

/** Who reads the outbox: the organisation they act for and their own address. */
export type OutboxReader = { orgId: string; email: string };

/** The messages a reader may see and act on: their organisation's, and the box-wide ones sent to them. */
export function outboxScope(reader: OutboxReader): SQL | undefined {
  return or(
    eq(mailMessages.orgId, reader.orgId),
    and(isNull(mailMessages.orgId), eq(mailMessages.toAddress, reader.email)),
  );
}

/** Which messages a list shows: a status, and an id to continue before (newest first). */
export type OutboxFilter = { status?: MailStatus; beforeId?: string };

/** A message as the outbox shows it: single-use links the reader may not use are cut out. */
export type OutboxEntry = MailMessage & { linksHidden: boolean };

// Links that carry a single-use token (invitations, password resets): whoever reads one can use it.
const SINGLE_USE_LINK = /https?:\/\/\S*[?&]token=\S+/g;
const HAS_SINGLE_USE_LINK = /https?:\/\/\S*[?&]token=\S/;
const HIDDEN_LINK = "[link hidden: only the person it was sent to may use it]";

/**
 * The newest messages of the reader's organisation, and the box-wide ones (password resets)
 * addressed to the reader. A single-use link is shown only to the person it was sent to, or to
 * the organisation that invited a brand-new account it alone holds (it passes the link on
 * while e-mail is not set up); once real e-mail delivery is configured, to nobody.
 */
export function listOutbox(
  db: Queryable,
  reader: OutboxReader,
  limit: number,
  filter: OutboxFilter = {},
): OutboxEntry[] {
  const where = and(
    outboxScope(reader),
    filter.status ? eq(mailMessages.status, filter.status) : undefined,
    filter.beforeId ? lt(mailMessages.id, filter.beforeId) : undefined,
  );
  const messages = db.select().from(mailMessages).where(where).orderBy(desc(mailMessages.id)).limit(limit).all();
  const delivered = mailDeliveryConfigured(db);
  return messages.map((message) => {
    if (!HAS_SINGLE_USE_LINK.test(message.textBody)) return { ...message, linksHidden: false };
    if (!delivered && mayReadLinks(db, reader, message)) return { ...message, linksHidden: false };
    return { ...message, textBody: message.textBody.replace(SINGLE_USE_LINK, HIDDEN_LINK), linksHidden: true };
  });
}

function mayReadLinks(db: Queryable, reader: OutboxReader, message: MailMessage): boolean {
  if (message.toAddress === reader.email) return true;
  if (message.orgId !== reader.orgId) return false;
  // A membership link accepts only together with the invited person's own session, so the
  // inviting organisation may hold it to pass it on; it cannot use it.
  if (message.template === "membership_invitation") return true;
  return message.template === "invitation" && isUnclaimedAccountOf(db, message.toAddress, reader.orgId);
}

/**
 * Whether the address is a brand-new account (never signed in, no password chosen) that this
 * organisation made (its home): the only accounts whose password link an organisation may hold.
 */
function isUnclaimedAccountOf(db: Queryable, email: string, orgId: string): boolean {
  const user = db
    .select({ status: users.status, homeOrgId: users.homeOrgId })
    .from(users)
    .where(eq(users.email, email))
    .get();
  return user?.status === "invited" && user.homeOrgId === orgId;
}

/** How many of the reader's messages are in each status. */
export function countOutbox(db: Queryable, reader: OutboxReader): Partial<Record<MailStatus, number>> {
  const rows = db
    .select({ status: mailMessages.status, messages: count() })
    .from(mailMessages)
    .where(outboxScope(reader))
    .groupBy(mailMessages.status)
    .all();
  return Object.fromEntries(rows.map((row) => [row.status, row.messages]));
}
