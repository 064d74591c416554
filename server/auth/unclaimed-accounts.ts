import { eq } from "drizzle-orm";
import {
  apiKeys,
  memberships,
  recoveryCodes,
  sessions,
  ssoIdentities,
  type User,
  users,
} from "../../models/identity.ts";
import type { Queryable } from "../db.ts";
import { revokeEmailTokens } from "./email-tokens.ts";

/**
 * An account that belongs to no organisation any more and cannot sign in (never accepted, or
 * deactivated) holds nothing of anyone's: the next organisation to invite its address starts
 * it afresh as its own new account, with nothing of the old one (password, second factor,
 * single sign-on links, keys) left over. Null, and nothing changed, for any other account.
 */
export function resetUnclaimedAccount(
  tx: Queryable,
  user: User,
  orgId: string,
  name: string,
  now = new Date(),
): User | null {
  if (user.status === "active") return null;
  const anyMembership = tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(eq(memberships.userId, user.id))
    .get();
  if (anyMembership) return null;
  tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
  tx.delete(ssoIdentities).where(eq(ssoIdentities.userId, user.id)).run();
  tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.userId, user.id)).run();
  revokeEmailTokens(tx, user.id, "invitation", undefined, now);
  revokeEmailTokens(tx, user.id, "password_reset", undefined, now);
  return tx
    .update(users)
    .set({
      name,
      status: "invited",
      homeOrgId: orgId,
      passwordHash: null,
      totpKeyEncrypted: null,
      totpEnabledAt: null,
      totpLastStep: null,
      passwordChangedAt: null,
      lastSignInAt: null,
    })
    .where(eq(users.id, user.id))
    .returning()
    .get();
}
