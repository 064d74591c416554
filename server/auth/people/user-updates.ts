import { and, eq, ne } from "drizzle-orm";
import { membershipInvitations, memberships, organizations, type User, users } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import type { Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { revokeUserApiKeys } from "../keys/api-keys.ts";
import { assertWithin, findRole, resolveAssignableRole } from "../roles/assignable-roles.ts";
import { resolveMembership } from "../roles/roles.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { invalidateUserSessions, invalidateUserSessionsInOrganization } from "../sessions/sessions.ts";
import { revokeEmailTokens } from "./email-tokens.ts";
import { recordInMemberOrganizations } from "./member-elsewhere.ts";
import { NOT_ACCEPTED_YET, type UpdateUserInput } from "./people-schemas.ts";
import { type Person, personName, personOrNotFound, userEtag } from "./users.ts";

/**
 * Changes a person's role, status or name in the current organisation. The name is the
 * organisation's own name for the member (the account's name is the person's); a role change
 * ends the person's sessions in this organisation only; deactivation ends their sessions, API
 * keys and pending links. The last active admin can be neither demoted nor deactivated (409);
 * `ifMatch` guards against stale writes (412). A person who has not answered an invitation
 * yet only has the invitation's role and name changed.
 */
export function updateUser(
  ctx: ServiceContext,
  userId: string,
  input: UpdateUserInput,
  ifMatch?: string,
  now = new Date(),
): Person {
  const person = personOrNotFound(ctx, userId);
  assertIfMatch(ifMatch, userEtag(person));
  if (person.pending) return updateInvitation(ctx, person, input, now);
  const { user } = person;
  const newRole = input.role !== undefined && input.role !== person.role ? input.role : null;
  const nextStatus = statusChange(user, input.status);

  if (newRole !== null || nextStatus !== null) {
    const current = findRole(ctx.db, ctx.orgId, person.role);
    assertWithin(
      current?.permissions ?? new Set(),
      ctx.permissions,
      "You cannot change a person whose role has permissions you do not have.",
    );
  }
  const role = newRole === null ? null : resolveAssignableRole(ctx.db, ctx.orgId, newRole, ctx.permissions);
  if (nextStatus !== null) assertMayChangeAccount(ctx, user, nextStatus);
  const losesAdmin =
    person.role === "admin" &&
    user.status === "active" &&
    ((role !== null && role.role !== "admin") || nextStatus === "deactivated");
  if (losesAdmin && countActiveAdminsBesides(ctx.db, ctx.orgId, userId) === 0) {
    throw new AppError("conflict", "An organisation needs at least one active admin. Make someone else admin first.");
  }

  const audit = { orgId: ctx.orgId, actorUserId: ctx.userId, actorApiKeyId: ctx.apiKeyId, meta: ctx.meta };
  const target = { targetType: "user", targetId: userId };
  const tellOthers = (tx: Queryable, action: string) =>
    recordInMemberOrganizations(
      tx,
      { userId, actingOrgId: ctx.orgId, actingOrganizationName: organizationName(ctx), action },
      now,
    );
  ctx.db.transaction((tx) => {
    if (role) {
      tx.update(memberships).set({ role: role.role }).where(eq(memberships.id, person.membershipId)).run();
      const sessionsRevoked = invalidateUserSessionsInOrganization(tx, userId, ctx.orgId);
      recordAudit(
        tx,
        {
          ...audit,
          ...target,
          action: "user.role_changed",
          details: { role: { from: person.role, to: role.role }, sessionsRevoked },
        },
        now,
      );
    }
    const shownName = personName(person);
    if (input.name !== undefined && input.name !== shownName) {
      // The organisation's own name for its member: the account (and its other organisations) keep theirs.
      tx.update(memberships).set({ displayName: input.name }).where(eq(memberships.id, person.membershipId)).run();
      recordAudit(
        tx,
        { ...audit, ...target, action: "user.renamed", details: { name: { from: shownName, to: input.name } } },
        now,
      );
    }
    if (nextStatus === "deactivated") {
      tx.update(users).set({ status: "deactivated" }).where(eq(users.id, userId)).run();
      const sessionsRevoked = invalidateUserSessions(tx, userId);
      const apiKeysRevoked = revokeUserApiKeys(ctx.db, userId, now);
      revokeEmailTokens(tx, userId, "invitation", undefined, now);
      revokeEmailTokens(tx, userId, "password_reset", undefined, now);
      recordAudit(
        tx,
        { ...audit, ...target, action: "user.deactivated", details: { sessionsRevoked, apiKeysRevoked } },
        now,
      );
      tellOthers(tx, "user.deactivated_elsewhere");
    } else if (nextStatus !== null) {
      tx.update(users).set({ status: nextStatus }).where(eq(users.id, userId)).run();
      recordAudit(tx, { ...audit, ...target, action: "user.reactivated", details: { status: nextStatus } }, now);
      tellOthers(tx, "user.reactivated_elsewhere");
    }
  });
  const updated = personOrNotFound(ctx, userId);
  return updated;
}

/** The status to write, or null when nothing changes. */
function statusChange(user: User, wanted: UpdateUserInput["status"]): User["status"] | null {
  if (wanted === undefined || wanted === user.status) return null;
  if (user.status === "invited") throw new AppError("conflict", NOT_ACCEPTED_YET);
  if (wanted === "deactivated") return "deactivated";
  // A deactivated account that never chose a password goes back to waiting for an invitation.
  return user.passwordHash ? "active" : "invited";
}

/**
 * Deactivation (and reactivation) is of the whole account, so it must not reach into
 * organisations the actor does not manage: for an account that belongs to others too, the
 * way out of this organisation is removing the person from it.
 */
function assertMayChangeAccount(ctx: ServiceContext, user: User, next: User["status"]): void {
  if (user.id === ctx.userId && next === "deactivated") {
    throw new AppError("conflict", "You cannot deactivate your own account.");
  }
  const others = ctx.db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), ne(memberships.orgId, ctx.orgId)))
    .all();
  const managesAll = others.every(
    (other) => resolveMembership(ctx.db, ctx.userId, other.orgId)?.permissions.has("users.manage") === true,
  );
  if (!managesAll) {
    throw new AppError(
      "conflict",
      "This person also belongs to other organisations, so their account is not this organisation's to switch off. Remove them from this organisation instead.",
    );
  }
}

/** A role or name change of an invitation nobody has answered yet. */
function updateInvitation(ctx: ServiceContext, person: Person, input: UpdateUserInput, now: Date): Person {
  if (input.status !== undefined) {
    throw new AppError("conflict", NOT_ACCEPTED_YET);
  }
  const role =
    input.role !== undefined && input.role !== person.role
      ? resolveAssignableRole(ctx.db, ctx.orgId, input.role, ctx.permissions)
      : null;
  ctx.db.transaction((tx) => {
    tx.update(membershipInvitations)
      .set({ ...(role ? { role: role.role } : {}), ...(input.name !== undefined ? { displayName: input.name } : {}) })
      .where(eq(membershipInvitations.id, person.membershipId))
      .run();
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        meta: ctx.meta,
        targetType: "user",
        targetId: person.user.id,
        action: "user.invitation_changed",
        details: { role: role?.role ?? person.role, name: input.name ?? personName(person) },
      },
      now,
    );
  });
  const updated = personOrNotFound(ctx, person.user.id);
  return updated;
}

function organizationName(ctx: ServiceContext): string {
  return (
    ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, ctx.orgId)).get()
      ?.name ?? ""
  );
}

/** Active admins of the organisation other than `userId`: the last one may not go. */
export function countActiveAdminsBesides(db: Queryable, orgId: string, userId: string): number {
  return db
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(memberships.role, "admin"),
        eq(users.status, "active"),
        ne(users.id, userId),
      ),
    )
    .all().length;
}
