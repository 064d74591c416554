import { asc, count, eq } from "drizzle-orm";
import { memberships, type Organization, organizations, sessions, users } from "../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../ids.ts";
import { compliancePresets } from "../setup/presets.ts";
import { industryTemplates } from "../setup/templates.ts";
import { seedApprovalPipelines } from "../work/approvals/seed.ts";
import type { ServiceContext } from "./context.ts";
import { type InvitationResult, inviteMember } from "./invitations.ts";
import type { CreateOrganizationInput } from "./people-schemas.ts";
import { rolePermissions } from "./permissions.ts";
import { resolveMembership } from "./roles.ts";
import { setSessionOrganization } from "./sessions.ts";

export type CreatedOrganization = { organization: Organization; admin: InvitationResult };

type Creator = { db: Db; log: Logger; baseUrl: string; actorUserId: string | null; meta: RequestMeta };

/**
 * Adds an organisation to the box: only the instance admin may (403 for everyone else). It
 * starts with the basic preset, and its admin is invited (or, with an account already, added).
 */
export function createOrganization(
  ctx: ServiceContext,
  input: CreateOrganizationInput,
  baseUrl: string,
): CreatedOrganization {
  const actor = ctx.db
    .select({ isInstanceAdmin: users.isInstanceAdmin })
    .from(users)
    .where(eq(users.id, ctx.userId))
    .get();
  if (!actor?.isInstanceAdmin) throw new AppError("forbidden", "Only the box's instance admin can add organisations.");
  return addOrganization({ db: ctx.db, log: ctx.log, baseUrl, actorUserId: ctx.userId, meta: ctx.meta }, input);
}

/** The same for the box's operator at the command line (`opsbox orgs create`). */
export function createOrganizationAsOperator(
  deps: { db: Db; log: Logger; baseUrl: string },
  input: CreateOrganizationInput,
): CreatedOrganization {
  return addOrganization({ ...deps, actorUserId: null, meta: {} }, input);
}

function addOrganization(creator: Creator, input: CreateOrganizationInput, now = new Date()): CreatedOrganization {
  const { db } = creator;
  const organization = db.transaction((tx) => {
    const created = tx
      .insert(organizations)
      .values({
        id: newId("org", now.getTime()),
        name: input.name,
        industry: "general",
        complianceLevel: "basic",
        policy: compliancePresets.basic.policy,
        createdAt: now,
      })
      .returning()
      .get();
    seedApprovalPipelines(tx, created.id, industryTemplates.general.approvalPipelines, now);
    return created;
  });
  try {
    const admin = inviteMember(db, creator.log, {
      orgId: organization.id,
      email: input.adminEmail,
      name: input.adminEmail.split("@")[0] ?? input.adminEmail,
      role: "admin",
      // The instance admin hands out the new organisation's admin role, which they may give by definition.
      actor: creator.actorUserId
        ? { userId: creator.actorUserId, apiKeyId: null, permissions: rolePermissions.admin }
        : null,
      resend: false,
      baseUrl: creator.baseUrl,
      meta: creator.meta,
    });
    recordAudit(db, {
      orgId: organization.id,
      action: "organization.created",
      actorUserId: creator.actorUserId,
      targetType: "organization",
      targetId: organization.id,
      details: { name: organization.name, adminEmail: input.adminEmail, via: creator.actorUserId ? "api" : "cli" },
      meta: creator.meta,
    });
    return { organization, admin };
  } catch (error) {
    // Without its admin the organisation would be unreachable: take it back.
    db.delete(organizations).where(eq(organizations.id, organization.id)).run();
    throw error;
  }
}

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
  if (!membership) throw new AppError("not_found", "No such organisation.");
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
