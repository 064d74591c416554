import { and, desc, eq, isNull, or } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { instanceSettings } from "../../models/instance.ts";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../tools/ids.ts";

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

/** Who reads the outbox: the organisation they act for and their own address. */
export type OutboxReader = { orgId: string; email: string };

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
export function listOutbox(db: Queryable, reader: OutboxReader, limit: number): OutboxEntry[] {
  const scope = or(
    eq(mailMessages.orgId, reader.orgId),
    and(isNull(mailMessages.orgId), eq(mailMessages.toAddress, reader.email)),
  );
  const messages = db.select().from(mailMessages).where(scope).orderBy(desc(mailMessages.id)).limit(limit).all();
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

/** Whether the box sends e-mail for real (set up at first boot); until then messages stay in the outbox. */
export function mailDeliveryConfigured(db: Queryable): boolean {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, "email")).get();
  const value = row?.value;
  const provider = typeof value === "object" && value !== null && "provider" in value ? value.provider : "log";
  return provider !== "log";
}
