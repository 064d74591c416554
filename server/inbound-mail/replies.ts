import { eq, sql } from "drizzle-orm";
import type { Email } from "postal-mime";
import { users } from "../../models/identity.ts";
import { resolveMembership } from "../auth/roles/roles.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Db, DbTransaction } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { replyTextOf } from "../tools/reply-text.ts";
import { checkReplyToken, type ReplySubject, type ReplySubjectKind, replyTokenOf } from "../tools/reply-token.ts";
import type { Keyring } from "../tools/secrets.ts";

/**
 * Writes a reply where it belongs (a task comment), as the person who replied, inside the
 * caller's transaction; throws AppError when that person may not (any more), which makes the
 * reply a document instead. Handed down by main.ts, so that mail/ imports no capability of work/.
 */
export type ReplyTarget = (tx: DbTransaction, ctx: ServiceContext, subjectId: string, body: string) => { id: string };
export type ReplyTargets = Partial<Record<ReplySubjectKind, ReplyTarget>>;

/** A reply whose token and sender check out: who wrote it, about what, and what they wrote. */
export type VerifiedReply = { ctx: ServiceContext; subject: ReplySubject; body: string };

/**
 * The reply in `email`, when it is one that may become a comment: sent to this mailbox's
 * `+token` address, the token made for this organisation and for the person in From (an active
 * member), not expired, with text left once the quote is cut. Anything else is null (and is
 * stored as a document); why is logged, never the token.
 */
export function verifiedReply(
  deps: { db: Db; keyring: Keyring; log: Logger },
  orgId: string,
  mailbox: string,
  email: Email,
  now = new Date(),
): VerifiedReply | null {
  const token = tokenFor(mailbox, email);
  if (!token) return null;
  const sender = email.from?.address?.trim().toLowerCase();
  const user = sender
    ? deps.db
        .select({ id: users.id, status: users.status })
        .from(users)
        .where(eq(sql`lower(${users.email})`, sender))
        .get()
    : undefined;
  const membership = user?.status === "active" ? resolveMembership(deps.db, user.id, orgId) : null;
  if (!user || !membership) {
    deps.log.info({ orgId }, "reply address used by someone who is not an active member: stored as a document");
    return null;
  }
  const check = checkReplyToken(deps.keyring, { orgId, userId: user.id }, token, now);
  if (!check.ok) {
    deps.log.info({ orgId, userId: user.id, refused: check.refused }, "reply token refused: stored as a document");
    return null;
  }
  const body = replyTextOf(email.text ?? "");
  if (!body) return null;
  const ctx: ServiceContext = {
    db: deps.db,
    log: deps.log,
    keyring: deps.keyring,
    orgId,
    userId: user.id,
    apiKeyId: null,
    permissions: membership.permissions,
    meta: { ipAddress: null, userAgent: "e-mail reply", requestId: null },
  };
  return { ctx, subject: check.subject, body };
}

/** The token of the first recipient that is this mailbox with a `+token`. */
function tokenFor(mailbox: string, email: Email): string | null {
  const [local, domain] = mailbox.toLowerCase().split("@");
  const recipients = [
    ...(email.to ?? []),
    ...(email.cc ?? []),
    ...(email.deliveredTo ? [{ address: email.deliveredTo, name: "" }] : []),
  ].flatMap((address) => ("group" in address && address.group ? address.group : [address]));
  for (const recipient of recipients) {
    const address = recipient.address?.trim().toLowerCase() ?? "";
    if (!address.startsWith(`${local}+`) || !address.endsWith(`@${domain}`)) continue;
    const token = replyTokenOf(address);
    if (token) return token;
  }
  return null;
}
