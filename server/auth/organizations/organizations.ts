import { asc, count, eq } from "drizzle-orm";
import { memberships, type Organization, organizations, sessions } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { resolveMembership } from "../roles/roles.ts";
import { setSessionOrganization } from "../sessions/sessions.ts";

/** Every organisation of the box with its number of members, oldest first. */
export function listOrganizations(db: Db): { id: string; name: string; complianceLevel: string; members: number }[] {
  return db
    .select({
      id: organizations.id,
      name: organizations.name,
      complianceLevel: organizations.complianceLevel,
      members: count(memberships.id),
    })
    .from(organizations)
    .leftJoin(memberships, eq(memberships.orgId, organizations.id))
    .groupBy(organizations.id)
    .orderBy(asc(organizations.id))
    .all();
}

/**
 * Moves a session into another organisation of the person; 404 when they are not a member
 * there, 409 when the session came through another organisation's single sign-on.
 */
export function switchOrganization(db: Db, input: { sessionId: string; userId: string; orgId: string }): Organization {
  const membership = resolveMembership(db, input.userId, input.orgId);
  if (!membership) throw notFound("organisation");
  const pinned = db
    .select({ ssoOrgId: sessions.ssoOrgId })
    .from(sessions)
    .where(eq(sessions.id, input.sessionId))
    .get();
  if (pinned?.ssoOrgId && pinned.ssoOrgId !== input.orgId) {
    // The provider vouches for the person in its own organisation only; another one's admin must not reach further.
    throw new AppError(
      "conflict",
      "You signed in through another organisation's single sign-on, which counts in that organisation only. Sign in with your password to work in this one.",
    );
  }
  setSessionOrganization(db, input.sessionId, input.orgId);
  return membership.organization;
}
