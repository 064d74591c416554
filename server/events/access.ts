import { and, eq, isNull } from "drizzle-orm";
import { apiKeys, memberships, sessions, users } from "../../models/identity.ts";
import type { Auth } from "../auth/context.ts";
import type { Db } from "../db.ts";

/**
 * Whether the caller that opened a stream may still read it: an open stream outlives the
 * request that authenticated it, so a revoked session or key, an expired one, a deactivated
 * person or a removed membership must end it (checked at each heartbeat).
 */
export function streamAccessCheck(db: Db, auth: Auth, orgId: string): () => boolean {
  const userId = auth.user.id;
  const sessionId = auth.session?.id ?? null;
  const keyId = auth.apiKey?.id ?? null;
  return () => {
    const now = new Date();
    const person = db
      .select({ status: users.status })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)))
      .get();
    if (!person || person.status === "deactivated") return false;
    if (sessionId) {
      const session = db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
      return Boolean(
        session && session.orgId === orgId && now < session.absoluteExpiresAt && now < session.idleExpiresAt,
      );
    }
    if (keyId) {
      const key = db
        .select({ expiresAt: apiKeys.expiresAt })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
        .get();
      return Boolean(key && (!key.expiresAt || now < key.expiresAt));
    }
    return false;
  };
}
