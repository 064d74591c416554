import { and, eq, isNull } from "drizzle-orm";
import { apiKeys, memberships, type User, users } from "../../../models/identity.ts";
import { projectMembers, teamMembers } from "../../../models/work.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db, Queryable } from "../../db.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertWithin, findRole } from "../roles/assignable-roles.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { invalidateUserSessions, invalidateUserSessionsInOrganization } from "../sessions/sessions.ts";
import { revokeEmailTokens } from "./email-tokens.ts";
import { findPendingInvitation, withdrawMembershipInvitation } from "./membership-invitations.ts";
import { countActiveAdminsBesides } from "./user-updates.ts";
import { personOrNotFound } from "./users.ts";

export type Removal = { removed: "member" | "invitation"; sessionsEnded: number; apiKeysRevoked: number };

/**
 * DELETE /users/{id}: takes a person out of the current organisation, or withdraws an
 * invitation they have not answered. The account lives on in its other organisations; here
 * its sessions end, its keys are revoked and its team and project places go. An account left
 * with no organisation is signed out everywhere. The last active admin stays (409).
 */
export function removeMember(ctx: ServiceContext, userId: string, now = new Date()): Removal {
  const person = personOrNotFound(ctx, userId);
  const audit = { orgId: ctx.orgId, actorUserId: ctx.userId, actorApiKeyId: ctx.apiKeyId, meta: ctx.meta };
  const target = { targetType: "user", targetId: userId };
  if (person.pending) {
    const invitation = findPendingInvitation(ctx.db, ctx.orgId, userId);
    ctx.db.transaction((tx) => {
      if (invitation) withdrawMembershipInvitation(tx, invitation, now);
      recordAudit(
        tx,
        { ...audit, ...target, action: "user.invitation_withdrawn", details: { email: person.user.email } },
        now,
      );
    });
    return { removed: "invitation", sessionsEnded: 0, apiKeysRevoked: 0 };
  }
  if (userId === ctx.userId) throw new AppError("conflict", "You cannot remove yourself from the organisation.");
  const current = findRole(ctx.db, ctx.orgId, person.role);
  assertWithin(
    current?.permissions ?? new Set(),
    ctx.permissions,
    "You cannot remove a person whose role has permissions you do not have.",
  );
  if (
    person.role === "admin" &&
    person.user.status === "active" &&
    countActiveAdminsBesides(ctx.db, ctx.orgId, userId) === 0
  ) {
    throw new AppError("conflict", "An organisation needs at least one active admin. Make someone else admin first.");
  }
  return ctx.db.transaction((tx) =>
    endMembership(
      tx,
      { orgId: ctx.orgId, person, action: "user.removed", actorUserId: ctx.userId, actorApiKeyId: ctx.apiKeyId },
      ctx.meta,
      now,
    ),
  );
}

/**
 * The person takes themselves out of one organisation (POST /me/organizations/{id}/leave).
 * Like a removal, audited in that organisation as `user.left`; the last active admin stays (409).
 */
export function leaveOrganization(
  db: Db,
  input: { userId: string; orgId: string; meta: RequestMeta },
  now = new Date(),
): Removal {
  const row = db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId)))
    .get();
  if (!row) throw notFound("organisation");
  const person = { user: row.users, role: row.memberships.role, membershipId: row.memberships.id };
  if (person.role === "admin" && countActiveAdminsBesides(db, input.orgId, input.userId) === 0) {
    throw new AppError("conflict", "You are this organisation's last active admin. Make someone else admin first.");
  }
  return db.transaction((tx) =>
    endMembership(tx, { orgId: input.orgId, person, action: "user.left", actorUserId: input.userId }, input.meta, now),
  );
}

type Ending = {
  orgId: string;
  person: { user: User; role: string; membershipId: string };
  action: "user.removed" | "user.left";
  actorUserId: string;
  actorApiKeyId?: string | null;
};

/** What removal and leaving share: the membership, its places, sessions and keys end; the account lives on. */
function endMembership(tx: Queryable, ending: Ending, meta: RequestMeta, now: Date): Removal {
  const { orgId, person } = ending;
  const userId = person.user.id;
  tx.delete(memberships).where(eq(memberships.id, person.membershipId)).run();
  tx.delete(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, userId)))
    .run();
  tx.delete(projectMembers)
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.userId, userId)))
    .run();
  revokeEmailTokens(tx, userId, "invitation", orgId, now);
  let sessionsEnded = invalidateUserSessionsInOrganization(tx, userId, orgId);
  let apiKeysRevoked = tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, userId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id })
    .all().length;
  const left = tx.select({ id: memberships.id }).from(memberships).where(eq(memberships.userId, userId)).all();
  const account: Partial<typeof users.$inferInsert> = {};
  if (person.user.homeOrgId === orgId) account.homeOrgId = null;
  if (left.length === 0) {
    // Nothing left to work in: no session or key of this account may outlive its last organisation.
    sessionsEnded += invalidateUserSessions(tx, userId);
    apiKeysRevoked += tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id })
      .all().length;
    revokeEmailTokens(tx, userId, "password_reset", undefined, now);
    if (person.user.status === "invited") account.status = "deactivated";
  }
  if (Object.keys(account).length > 0) tx.update(users).set(account).where(eq(users.id, userId)).run();
  recordAudit(
    tx,
    {
      orgId,
      actorUserId: ending.actorUserId,
      actorApiKeyId: ending.actorApiKeyId ?? null,
      meta,
      targetType: "user",
      targetId: userId,
      action: ending.action,
      details: { email: person.user.email, role: person.role, sessionsEnded, apiKeysRevoked },
    },
    now,
  );
  return { removed: "member", sessionsEnded, apiKeysRevoked };
}
