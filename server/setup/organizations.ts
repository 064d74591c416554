import { eq } from "drizzle-orm";
import { type Organization, organizations, users } from "../../models/identity.ts";
import { compliancePresets } from "../../models/security-policy.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import { type InvitationResult, inviteMember } from "../auth/people/invitations.ts";
import type { CreateOrganizationInput } from "../auth/people/people-schemas.ts";
import { rolePermissions } from "../auth/roles/permissions.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../tools/ids.ts";
import { seedApprovalPipelines } from "../work/approvals/seed.ts";
import { industryTemplates } from "./templates.ts";

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
