import { eq } from "drizzle-orm";
import { mailInboxes } from "../../models/mail-inbound.ts";
import type { Queryable } from "../db.ts";
import { type ReplySubject, signReplyToken, withReplyToken } from "../tools/reply-token.ts";
import type { Keyring } from "../tools/secrets.ts";

/** How long a reply address works after its e-mail was written. */
export const REPLY_ADDRESS_DAYS = 30;

/**
 * The `Reply-To` of a notification about a task or an approval sent to one person:
 * `inbox+<token>@domain` at the organisation's inbound mailbox, where a reply from that person's
 * address becomes their comment. Null when the organisation has no inbound mailbox switched on
 * (the notification then goes without a reply address). Here in mail/, below auth/, so that the
 * sending side can call it; the inbound side (server/inbound-mail/) reads the replies.
 */
export function replyAddressFor(
  deps: { db: Queryable; keyring: Keyring },
  input: { orgId: string; userId: string; subject: ReplySubject },
  now = new Date(),
): string | null {
  const inbox = deps.db
    .select({ address: mailInboxes.address, enabled: mailInboxes.enabled })
    .from(mailInboxes)
    .where(eq(mailInboxes.orgId, input.orgId))
    .get();
  if (!inbox?.enabled) return null;
  const expiresAt = new Date(now.getTime() + REPLY_ADDRESS_DAYS * 24 * 60 * 60_000);
  const token = signReplyToken(deps.keyring, { orgId: input.orgId, userId: input.userId }, input.subject, expiresAt);
  return withReplyToken(inbox.address, token);
}
