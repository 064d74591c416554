import { and, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { type Session, sessions, type User } from "../../../models/identity.ts";
import type { Db, Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { findAccountById } from "../people/accounts.ts";
import { generateSecureRandomString, hashSecret, secretMatches } from "./tokens.ts";

export type SessionPolicy = { idleTimeoutMinutes: number; absoluteLifetimeHours: number };

export type SessionWithToken = { session: Session; token: string };
export type ValidatedSession = { session: Session; user: User };

// Refreshing last-seen on every request would be one fsync per page view; once a minute is plenty.
const TOUCH_INTERVAL_MS = 60_000;

/** A new session for a person who just proved who they are. The token goes in the cookie; only the secret's hash is kept. */
export function createSession(
  db: Db,
  input: {
    userId: string;
    orgId: string | null;
    twoFactorVerified: boolean;
    policy: SessionPolicy;
    ipAddress?: string | null;
    userAgent?: string | null;
    /** The organisation whose single sign-on opened the session: it works only there. */
    ssoOrgId?: string | null;
  },
  now = new Date(),
): SessionWithToken {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const session = db
    .insert(sessions)
    .values({
      id,
      secretHash: hashSecret(secret),
      userId: input.userId,
      orgId: input.orgId,
      ssoOrgId: input.ssoOrgId ?? null,
      twoFactorVerified: input.twoFactorVerified,
      ipAddress: input.ipAddress ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: new Date(now.getTime() + input.policy.idleTimeoutMinutes * 60_000),
      absoluteExpiresAt: new Date(now.getTime() + input.policy.absoluteLifetimeHours * 3_600_000),
    })
    .returning()
    .get();
  return { session, token: `${id}.${secret}` };
}

/**
 * The session and person behind a cookie token, or null. Expired sessions are deleted;
 * a live one slides its idle expiry forward (never past the absolute lifetime).
 */
export function validateSessionToken(
  db: Db,
  token: string,
  policyOf: (orgId: string | null) => SessionPolicy,
  now = new Date(),
): ValidatedSession | null {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const session = preparedQuery(db, "auth.sessionById", () =>
    db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id });
  if (!session || !secretMatches(secret, session.secretHash)) return null;
  const user = findAccountById(db, session.userId);
  if (!user) return null;
  if (user.status === "deactivated" || now >= session.idleExpiresAt || now >= session.absoluteExpiresAt) {
    invalidateSession(db, session.id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const policy = policyOf(session.orgId);
    const idleExpiresAt = new Date(
      Math.min(now.getTime() + policy.idleTimeoutMinutes * 60_000, session.absoluteExpiresAt.getTime()),
    );
    db.update(sessions).set({ lastSeenAt: now, idleExpiresAt }).where(eq(sessions.id, session.id)).run();
    session.lastSeenAt = now;
    session.idleExpiresAt = idleExpiresAt;
  }
  return { session, user };
}

/**
 * Whether a session validated a moment ago is still valid without a look at the database: not
 * past either expiry, and seen recently enough that validateSessionToken would not write it.
 * Sign-out and deactivation are writes to the database, which callers must watch for themselves.
 */
export function sessionIsCurrent(session: Session, now: number): boolean {
  return (
    now < session.idleExpiresAt.getTime() &&
    now < session.absoluteExpiresAt.getTime() &&
    now - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS
  );
}

export function invalidateSession(db: Db, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Signs a person out everywhere, or everywhere but `exceptSessionId`. Returns how many sessions ended. */
export function invalidateUserSessions(db: Queryable, userId: string, exceptSessionId?: string): number {
  const where = exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId);
  return db.delete(sessions).where(where).returning({ id: sessions.id }).all().length;
}

/**
 * Ends a person's sessions that work in one organisation (those not yet placed in one start
 * in their first, so they count too): what one organisation changes about its member must not
 * sign them out of the others. Returns how many sessions ended.
 */
export function invalidateUserSessionsInOrganization(db: Queryable, userId: string, orgId: string): number {
  return db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), or(eq(sessions.orgId, orgId), isNull(sessions.orgId))))
    .returning({ id: sessions.id })
    .all().length;
}

export function listUserSessions(db: Db, userId: string, now = new Date()): Session[] {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.idleExpiresAt, now)))
    .orderBy(sessions.lastSeenAt)
    .all()
    .reverse();
}

export function markSessionTwoFactorVerified(db: Db, sessionId: string): void {
  db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId)).run();
}

export function setSessionOrganization(db: Db, sessionId: string, orgId: string): void {
  db.update(sessions).set({ orgId }).where(eq(sessions.id, sessionId)).run();
}

/** The basic preset's lifetimes, for sessions made outside any organisation's policy (tests, CLI). */
export const sessionPolicyDefaults: SessionPolicy = { idleTimeoutMinutes: 60 * 24 * 7, absoluteLifetimeHours: 24 * 30 };
