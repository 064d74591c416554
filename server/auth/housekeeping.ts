import { and, eq, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import { authThrottles, emailTokens, membershipInvitations, sessions } from "../../models/identity.ts";
import type { Db } from "../db.ts";
import { THROTTLE_WINDOW_MS } from "./sessions/throttle.ts";

/** An expired membership invitation stays listed (to be sent again) this long before it goes. */
export const EXPIRED_INVITATION_KEPT_MS = 30 * 86_400_000;

export type AuthHousekeeping = {
  sessions: number;
  resetTokens: number;
  invitationTokens: number;
  invitations: number;
  throttles: number;
};

/**
 * Deletes what no sign-in can use any more, in every organisation: sessions past their idle or
 * absolute expiry (otherwise deleted only when their cookie comes back), e-mailed tokens that
 * were used or expired, membership invitations long past expiry, and sign-in failure counts
 * whose window and lock are over. Live rows are never touched.
 */
export function removeExpiredAuthRows(db: Db, now: Date): AuthHousekeeping {
  return db.transaction((tx) => {
    const count = (rows: unknown[]) => rows.length;
    const spentTokens = (kinds: ("password_reset" | "invitation" | "membership")[]) =>
      count(
        tx
          .delete(emailTokens)
          .where(
            and(
              or(...kinds.map((kind) => eq(emailTokens.kind, kind))),
              or(isNotNull(emailTokens.usedAt), lte(emailTokens.expiresAt, now)),
            ),
          )
          .returning({ id: emailTokens.id })
          .all(),
      );
    return {
      sessions: count(
        tx
          .delete(sessions)
          .where(or(lte(sessions.idleExpiresAt, now), lte(sessions.absoluteExpiresAt, now)))
          .returning({ id: sessions.id })
          .all(),
      ),
      resetTokens: spentTokens(["password_reset"]),
      invitationTokens: spentTokens(["invitation", "membership"]),
      invitations: count(
        tx
          .delete(membershipInvitations)
          .where(lt(membershipInvitations.expiresAt, new Date(now.getTime() - EXPIRED_INVITATION_KEPT_MS)))
          .returning({ id: membershipInvitations.id })
          .all(),
      ),
      throttles: count(
        tx
          .delete(authThrottles)
          .where(
            and(
              lt(authThrottles.firstFailureAt, new Date(now.getTime() - THROTTLE_WINDOW_MS)),
              or(isNull(authThrottles.lockedUntil), lte(authThrottles.lockedUntil, now)),
            ),
          )
          .returning({ key: authThrottles.key })
          .all(),
      ),
    };
  });
}

/** "Removed 12 expired sessions, 3 used or expired reset tokens"; null when nothing went. */
export function describeAuthHousekeeping(removed: AuthHousekeeping): string | null {
  const parts = [
    [removed.sessions, "expired session"],
    [removed.resetTokens, "used or expired password-reset token"],
    [removed.invitationTokens, "used or expired invitation link"],
    [removed.invitations, "expired membership invitation"],
    [removed.throttles, "stale sign-in failure count"],
  ] as const;
  const said = parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}${count === 1 ? "" : "s"}`);
  return said.length > 0 ? `Removed ${said.join(", ")}.` : null;
}
