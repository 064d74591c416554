import { and, eq, isNull } from "drizzle-orm";
import { apiKeys, type User, users } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import { AppError } from "../../http/errors.ts";
import { passwordMinLengthFor } from "../organizations/org-policy.ts";
import { findAccountById } from "../people/accounts.ts";
import { checkPasswordStrength, hashPassword, verifyPassword } from "../sessions/passwords.ts";
import { invalidateUserSessions, listUserSessions } from "../sessions/sessions.ts";
import { clearFailures, recordFailure, type ThrottleRule, throttledUntil } from "../sessions/throttle.ts";
import type { AccountContext } from "./account-context.ts";

/** Expected refusals of a proof (a password or a code): wrong, or too many wrong tries. */
export type ProofFailure =
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

export type PasswordChangeResult =
  | { ok: true; sessionsRevoked: number; apiKeysRevoked: number }
  | ProofFailure
  | { ok: false; reason: "weak"; message: string };

export type MySession = {
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  current: boolean;
};

// A stolen session must not become a way to guess the password; the person's own sign-in
// throttle is left alone so that this cannot lock them out of signing in.
const CURRENT_PASSWORD_RULE: ThrottleRule = { slowAfter: 3, lockAfter: 10, lockMinutes: 15 };

export function findAccountUser(ctx: AccountContext): User {
  const user = findAccountById(ctx.db, ctx.userId);
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  return user;
}

/** Checks the signed-in person's current password, with back-off after wrong tries. */
export async function confirmPassword(
  ctx: AccountContext,
  password: string,
  now = new Date(),
): Promise<{ ok: true } | ProofFailure> {
  const key = `password:${ctx.userId}`;
  const until = throttledUntil(ctx.db, key, now);
  if (until) return { ok: false, reason: "locked", retryAfterSeconds: secondsUntil(until, now) };
  const user = findAccountUser(ctx);
  if (!(await verifyPassword(password, user.passwordHash))) {
    recordFailure(ctx.db, key, CURRENT_PASSWORD_RULE, now);
    return { ok: false, reason: "invalid" };
  }
  clearFailures(ctx.db, key);
  return { ok: true };
}

/**
 * Changes the signed-in person's password and signs them out of every other session; with
 * `revokeApiKeys`, their API keys stop working too (a leaked password may have minted some).
 */
export async function changePassword(
  ctx: AccountContext,
  input: { currentPassword: string; newPassword: string; revokeApiKeys: boolean },
  now = new Date(),
): Promise<PasswordChangeResult> {
  const user = findAccountUser(ctx);
  const strength = checkPasswordStrength(input.newPassword, {
    email: user.email,
    minLength: passwordMinLengthFor(ctx.db, user.id),
  });
  const proof = await confirmPassword(ctx, input.currentPassword, now);
  if (!proof.ok) return proof;
  if (!strength.ok) return { ok: false, reason: "weak", message: strength.message };
  const passwordHash = await hashPassword(input.newPassword);
  ctx.db.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, user.id)).run();
  const sessionsRevoked = invalidateUserSessions(ctx.db, user.id, ctx.sessionId ?? undefined);
  const apiKeysRevoked = input.revokeApiKeys ? revokeMyApiKeys(ctx, "password_changed", now) : 0;
  recordAudit(
    ctx.db,
    {
      orgId: ctx.orgId,
      action: "auth.password_changed",
      actorUserId: user.id,
      targetType: "user",
      targetId: user.id,
      details: { sessionsRevoked, apiKeysRevoked },
      meta: ctx.meta,
    },
    now,
  );
  return { ok: true, sessionsRevoked, apiKeysRevoked };
}

/** The signed-in person's live sessions, most recently used first, the current one marked. */
export function listMySessions(ctx: AccountContext, now = new Date()): MySession[] {
  return listUserSessions(ctx.db, ctx.userId, now)
    .filter((session) => session.absoluteExpiresAt > now)
    .map((session) => ({
      userAgent: session.userAgent,
      ipAddress: session.ipAddress,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.idleExpiresAt,
      current: session.id === ctx.sessionId,
    }));
}

/**
 * "Sign out everywhere else": ends every session of this person but the current one and, with
 * `revokeApiKeys`, every API key they own.
 */
export function signOutOtherSessions(
  ctx: AccountContext,
  input: { revokeApiKeys: boolean },
  now = new Date(),
): { sessionsRevoked: number; apiKeysRevoked: number } {
  const sessionsRevoked = invalidateUserSessions(ctx.db, ctx.userId, ctx.sessionId ?? undefined);
  const apiKeysRevoked = input.revokeApiKeys ? revokeMyApiKeys(ctx, "sign_out_elsewhere", now) : 0;
  recordAudit(
    ctx.db,
    {
      orgId: ctx.orgId,
      action: "auth.sessions_revoked",
      actorUserId: ctx.userId,
      targetType: "user",
      targetId: ctx.userId,
      details: { sessionsRevoked, apiKeysRevoked, reason: "sign_out_elsewhere" },
      meta: ctx.meta,
    },
    now,
  );
  return { sessionsRevoked, apiKeysRevoked };
}

/**
 * Revokes every live key the person owns, in every organisation, each audited in the key's own
 * organisation as a revocation from the key list is, so that each admin sees why it stopped.
 */
function revokeMyApiKeys(ctx: AccountContext, reason: "password_changed" | "sign_out_elsewhere", now: Date): number {
  return ctx.db.transaction((tx) => {
    const revoked = tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.userId, ctx.userId), isNull(apiKeys.revokedAt)))
      .returning()
      .all();
    for (const key of revoked) {
      recordAudit(
        tx,
        {
          orgId: key.orgId,
          action: "api_key.revoked",
          actorUserId: ctx.userId,
          targetType: "api_key",
          targetId: key.id,
          details: { name: key.name, prefix: key.prefix, owner: key.userId, reason },
          meta: ctx.meta,
        },
        now,
      );
    }
    return revoked.length;
  });
}

export function secondsUntil(until: Date, now: Date): number {
  return Math.max(Math.ceil((until.getTime() - now.getTime()) / 1000), 1);
}
