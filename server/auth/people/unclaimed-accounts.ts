import { and, eq, isNull } from "drizzle-orm";
import {
  apiKeys,
  membershipInvitations,
  memberships,
  recoveryCodes,
  sessions,
  ssoIdentities,
  type User,
  users,
} from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import type { Queryable } from "../../db.ts";
import { newId } from "../../tools/ids.ts";
import { revokeEmailTokens } from "./email-tokens.ts";

/**
 * An account that belongs to no organisation any more and cannot sign in (never accepted, or
 * deactivated) holds nothing of anyone's: the next organisation to invite its address gets a
 * new account of its own. The old one is retired, not reused: it keeps its id and name for
 * the history of the organisations it was in, gives up its address, and loses everything that
 * could act (password, second factor, single sign-on links, keys, links, invitations). The
 * organisations whose invitations it held are told. Null, and nothing changed, for any other
 * account.
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
  retireAccount(tx, user, now);
  return tx
    .insert(users)
    .values({
      id: newId("usr", now.getTime()),
      email: user.email,
      name,
      status: "invited",
      homeOrgId: orgId,
      createdAt: now,
    })
    .returning()
    .get();
}

function retireAccount(tx: Queryable, user: User, now: Date): void {
  const waiting = tx
    .select({ id: membershipInvitations.id, orgId: membershipInvitations.orgId })
    .from(membershipInvitations)
    .where(eq(membershipInvitations.userId, user.id))
    .all();
  tx.delete(membershipInvitations).where(eq(membershipInvitations.userId, user.id)).run();
  for (const invitation of waiting) {
    recordAudit(
      tx,
      {
        orgId: invitation.orgId,
        action: "user.invitation_ended",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, reason: "The account was closed; invite the address again." },
      },
      now,
    );
  }
  tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
  tx.delete(ssoIdentities).where(eq(ssoIdentities.userId, user.id)).run();
  tx.update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, user.id), isNull(apiKeys.revokedAt)))
    .run();
  for (const kind of ["invitation", "password_reset", "membership"] as const) {
    revokeEmailTokens(tx, user.id, kind, undefined, now);
  }
  tx.update(users)
    .set({
      // The address moves to the new account; the history keeps seeing what it was.
      email: `${user.email}#retired-${user.id}`,
      status: "deactivated",
      homeOrgId: null,
      passwordHash: null,
      totpKeyEncrypted: null,
      totpEnabledAt: null,
      totpLastStep: null,
    })
    .where(eq(users.id, user.id))
    .run();
}
