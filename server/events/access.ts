import { and, eq, isNull, sql } from "drizzle-orm";
import { apiKeys, sessions } from "../../models/identity.ts";
import { effectiveKeyPermissions } from "../auth/keys/api-keys.ts";
import { findOrganizationPolicy, twoFactorRequired } from "../auth/organizations/org-policy.ts";
import { findAccountById } from "../auth/people/accounts.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import { listUserOrganizations, resolveMembership } from "../auth/roles/roles.ts";
import type { Auth } from "../auth/sessions/context.ts";
import type { Db } from "../db.ts";
import { preparedQuery } from "../db-prepared.ts";
import { databaseVersion } from "../db-read-cache.ts";

/**
 * What the caller behind an open stream may read now: their permissions, or null once they may
 * no longer read the stream at all (the stream then ends).
 */
export type StreamAccess = () => ReadonlySet<Permission> | null;

/**
 * An open stream outlives the request that authenticated it, so it asks before every read
 * (and every few hundred ms while quiet): a demotion, a custom role's edit, a revoked session
 * or key, an expired one, a deactivated person or a removed membership takes effect on the
 * next event. The answer is read from the database again whenever anything was written since
 * the last look (SQLite's data version, one tiny statement) or an expiry passed; otherwise the
 * last answer stands, so a quiet box pays almost nothing for its open streams.
 */
export function streamAccess(db: Db, auth: Auth, orgId: string): StreamAccess {
  let seenVersion = "";
  let lookAgainAt = 0;
  let granted: ReadonlySet<Permission> | null = null;
  let ended = false;
  return () => {
    if (ended) return null;
    const now = Date.now();
    const version = databaseVersion(db);
    if (version === seenVersion && now < lookAgainAt) return granted;
    seenVersion = version;
    const grant = currentGrant(db, auth, orgId, now);
    // Access once lost stays lost: the caller opens a new stream (and authenticates again).
    if (!grant) ended = true;
    granted = grant?.permissions ?? null;
    lookAgainAt = grant?.until ?? 0;
    return granted;
  };
}

/** The caller's permissions as the database says now, until when they hold without a write; null when none. */
function currentGrant(
  db: Db,
  auth: Auth,
  orgId: string,
  now: number,
): { permissions: ReadonlySet<Permission>; until: number } | null {
  const person = findAccountById(db, auth.user.id);
  if (!person || person.status === "deactivated") return null;
  // The same resolution as every request: a removed (or, later, a non-active) membership is null.
  const membership = resolveMembership(db, person.id, orgId);
  if (!membership) return null;
  let permissions: ReadonlySet<Permission>;
  let until = Number.POSITIVE_INFINITY;
  if (auth.session) {
    const session = sessionById(db, auth.session.id);
    // A session works in its chosen organisation, or (none chosen yet) in the person's first, as at sign-in.
    const sessionOrgId = session ? (session.orgId ?? listUserOrganizations(db, person.id)[0]?.id) : null;
    if (!session || sessionOrgId !== orgId) return null;
    until = Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime());
    if (now >= until) return null;
    // A session that now owes a second factor reads nothing, as at sign-in (guard.ts).
    if (person.totpEnabledAt ? !session.twoFactorVerified : requiresTwoFactor(db, orgId, membership.role, person)) {
      return null;
    }
    permissions = membership.permissions;
  } else if (auth.apiKey) {
    const key = liveKeyById(db, auth.apiKey.id);
    if (!key || key.orgId !== orgId || key.userId !== person.id) return null;
    if (key.expiresAt) until = key.expiresAt.getTime();
    if (now >= until) return null;
    permissions = effectiveKeyPermissions(key, membership.permissions);
  } else {
    return null;
  }
  // Every stream needs workspace.read to open; without it there is nothing left to read.
  return permissions.has("workspace.read") ? { permissions, until } : null;
}

function requiresTwoFactor(db: Db, orgId: string, role: string, person: { isInstanceAdmin: boolean }): boolean {
  return twoFactorRequired(findOrganizationPolicy(db, orgId), role, person.isInstanceAdmin);
}

function sessionById(db: Db, id: string) {
  return preparedQuery(db, "events.streamSession", () =>
    db
      .select({
        orgId: sessions.orgId,
        idleExpiresAt: sessions.idleExpiresAt,
        absoluteExpiresAt: sessions.absoluteExpiresAt,
        twoFactorVerified: sessions.twoFactorVerified,
      })
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id });
}

function liveKeyById(db: Db, id: string) {
  return preparedQuery(db, "events.streamKey", () =>
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, sql.placeholder("id")), isNull(apiKeys.revokedAt)))
      .prepare(),
  ).get({ id });
}
