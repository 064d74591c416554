import { and, eq } from "drizzle-orm";
import { type User, users } from "../../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import { queueMail } from "../../mail/outbox.ts";
import { passwordMinLengthFor } from "../organizations/org-policy.ts";
import { listUserOrganizations } from "../roles/roles.ts";
import { checkPasswordStrength, hashPassword } from "../sessions/passwords.ts";
import { invalidateUserSessions } from "../sessions/sessions.ts";
import { clearSignInFailures } from "../sessions/sign-in.ts";
import { findAccountById } from "./accounts.ts";
import { consumeEmailToken, findUsableEmailToken, issueEmailToken, PASSWORD_RESET_TTL_MS } from "./email-tokens.ts";
import { passwordResetMail } from "./people-mail.ts";

export type ResetDeps = { db: Db; log: Logger; baseUrl: string };

export type ResetResult = { ok: true; user: User } | { ok: false; field: "token" | "password"; message: string };

const INVALID_LINK = "This reset link is not valid any more: it was used or has expired. Ask for a new one.";

/**
 * E-mails a single-use reset link (one hour) when the address belongs to an active account,
 * and does nothing otherwise. Callers answer the same either way. An account made by single
 * sign-on has no password yet: the link gives its owner (whoever reads the mailbox) one, so an
 * address that another organisation's provider claimed can be taken back.
 */
export function requestPasswordReset(deps: ResetDeps, email: string, meta: RequestMeta, now = new Date()): void {
  const { db, log } = deps;
  const user = db.select().from(users).where(eq(users.email, email)).get();
  if (user?.status !== "active") return;
  db.transaction((tx) => {
    const { token } = issueEmailToken(
      tx,
      { kind: "password_reset", userId: user.id, orgId: null, ttlMs: PASSWORD_RESET_TTL_MS },
      now,
    );
    const link = `${deps.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
    queueMail(tx, log, passwordResetMail({ to: user.email, link }), now);
    for (const orgId of organizationsOf(db, user.id)) {
      recordAudit(
        tx,
        { orgId, action: "auth.password_reset_requested", targetType: "user", targetId: user.id, meta },
        now,
      );
    }
  });
}

/**
 * Every organisation the person belongs to (a reset touches all of them, so each is told in its
 * own audit log), or the box alone (null) for a person who belongs to none.
 */
function organizationsOf(db: Db, userId: string): (string | null)[] {
  const orgIds = listUserOrganizations(db, userId).map((organization) => organization.id);
  return orgIds.length > 0 ? orgIds : [null];
}

/**
 * Runs requestPasswordReset after the response has gone: a known address costs a commit and an
 * unknown one does not, and that difference in time must not tell them apart.
 */
export function requestPasswordResetLater(deps: ResetDeps, email: string, meta: RequestMeta): void {
  setTimeout(() => {
    try {
      requestPasswordReset(deps, email, meta);
    } catch (error) {
      deps.log.error({ err: error }, "password reset request failed");
    }
  }, 0);
}

/** The account a live reset token belongs to, or null. */
export function findPasswordResetUser(db: Db, token: string | null | undefined): User | null {
  const row = findUsableEmailToken(db, "password_reset", token);
  if (!row) return null;
  const user = findAccountById(db, row.userId);
  return user?.status === "active" ? user : null;
}

/**
 * Sets a new password with a reset token: the token is spent, every session of the person
 * ends (wherever they were signed in, including whoever asked for the reset), and a lockout on
 * the account is lifted.
 */
export async function confirmPasswordReset(
  db: Db,
  input: { token: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<ResetResult> {
  const row = findUsableEmailToken(db, "password_reset", input.token, now);
  const user = row ? findPasswordResetUser(db, input.token) : null;
  if (!row || !user) return { ok: false, field: "token", message: INVALID_LINK };
  const check = checkPasswordStrength(input.password, {
    email: user.email,
    minLength: passwordMinLengthFor(db, user.id),
  });
  if (!check.ok) return { ok: false, field: "password", message: check.message };
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx): ResetResult => {
    if (!consumeEmailToken(tx, row.id, now)) return { ok: false, field: "token", message: INVALID_LINK };
    const updated = tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now })
      .where(and(eq(users.id, user.id), eq(users.status, "active")))
      .returning()
      .get();
    if (!updated) return { ok: false, field: "token", message: INVALID_LINK };
    // Same connection, so these run inside the transaction.
    const sessionsRevoked = invalidateUserSessions(db, user.id);
    clearSignInFailures(db, user.email);
    for (const orgId of organizationsOf(db, user.id)) {
      recordAudit(
        tx,
        {
          orgId,
          action: "auth.password_reset",
          actorUserId: user.id,
          targetType: "user",
          targetId: user.id,
          details: { sessionsRevoked },
          meta,
        },
        now,
      );
    }
    return { ok: true, user: updated };
  });
}
