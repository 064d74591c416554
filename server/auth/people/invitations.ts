import { and, eq } from "drizzle-orm";
import { memberships, organizations, type User, users } from "../../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db, Queryable } from "../../db.ts";
import { AppError, notFound } from "../../http/errors.ts";
import type { Logger } from "../../http/logger.ts";
import { mailBrandingFor } from "../../mail/logo.ts";
import { queueMail } from "../../mail/outbox.ts";
import { newId } from "../../tools/ids.ts";
import { type RoleInfo, resolveAssignableRole } from "../roles/assignable-roles.ts";
import type { Permission } from "../roles/permissions.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { INVITATION_TTL_MS, issueEmailToken } from "./email-tokens.ts";
import { inviteExistingAccount } from "./membership-invitations.ts";
import { invitationMail } from "./people-mail.ts";
import { ALREADY_IN_ORGANIZATION, type InvitationInput } from "./people-schemas.ts";
import { resetUnclaimedAccount } from "./unclaimed-accounts.ts";

export type InvitationResult = {
  user: User;
  /** As the inviting organisation may see it: "active" only when the inviter added their own account. */
  status: "invited" | "active";
  role: RoleInfo;
  /** When the e-mailed link stops working; null when the inviter added their own account. */
  expiresAt: Date | null;
};

export type InviteInput = {
  orgId: string;
  email: string;
  name: string;
  role: string;
  /** Null for the box's operator (CLI). */
  actor: { userId: string; apiKeyId: string | null; permissions: ReadonlySet<Permission> } | null;
  /** Whether a person already invited (not yet accepted) gets a fresh link instead of 409. */
  resend: boolean;
  baseUrl: string;
  meta: RequestMeta;
};

/**
 * Brings a person into an organisation with a role. A new address gets an account of this
 * organisation (its home) and a single-use link (7 days) to choose a password. An address
 * that already has an account gets an invitation its person accepts or declines from their
 * own session: no organisation changes an account it did not make. Both answer alike, so the
 * answer does not tell whether the address has an account. A member already there is 409,
 * unless `resend` and still invited (a fresh link, with the role asked for now).
 */
export function inviteMember(db: Db, log: Logger, input: InviteInput, now = new Date()): InvitationResult {
  const role = resolveAssignableRole(db, input.orgId, input.role, input.actor?.permissions ?? null);
  const organization = db.select().from(organizations).where(eq(organizations.id, input.orgId)).get();
  if (!organization) throw notFound("organisation");
  const inviter = input.actor
    ? (db.select({ userId: users.id, name: users.name }).from(users).where(eq(users.id, input.actor.userId)).get() ??
      null)
    : null;
  const audit = (tx: Queryable, userId: string, resent: boolean) =>
    recordAudit(
      tx,
      {
        orgId: input.orgId,
        action: resent ? "user.invitation_resent" : "user.invited",
        actorUserId: input.actor?.userId ?? null,
        actorApiKeyId: input.actor?.apiKeyId ?? null,
        targetType: "user",
        targetId: userId,
        details: { email: input.email, role: role.role },
        meta: input.meta,
      },
      now,
    );

  return db.transaction((tx): InvitationResult => {
    let user = tx.select().from(users).where(eq(users.email, input.email)).get();
    const member = user
      ? tx
          .select()
          .from(memberships)
          .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, user.id)))
          .get()
      : undefined;
    if (user && member) {
      const ours = user.homeOrgId === input.orgId && user.status === "invited";
      if (!(input.resend && ours)) {
        throw new AppError("conflict", ALREADY_IN_ORGANIZATION);
      }
      if (member.role !== role.role) {
        // A re-sent invitation carries the role asked for now; the person has no session yet to revoke.
        tx.update(memberships).set({ role: role.role }).where(eq(memberships.id, member.id)).run();
      }
    }
    if (user && !member && user.id === input.actor?.userId) {
      // The instance admin naming their own address for a new organisation: their own consent.
      tx.insert(memberships)
        .values({ id: newId("mem", now.getTime()), orgId: input.orgId, userId: user.id, role: role.role })
        .run();
      audit(tx, user.id, false);
      return { user, status: "active", role, expiresAt: null };
    }
    if (user && !member) user = resetUnclaimedAccount(tx, user, input.orgId, input.name, now) ?? user;
    const claimable = user?.homeOrgId === input.orgId && user.status === "invited";
    if (user && !member && !claimable) {
      const { invitation, refreshed } = inviteExistingAccount(
        tx,
        log,
        {
          orgId: input.orgId,
          organizationName: organization.name,
          user,
          role,
          displayName: input.name,
          inviter,
          resend: input.resend,
          baseUrl: input.baseUrl,
        },
        now,
      );
      audit(tx, user.id, refreshed);
      return { user, status: "invited", role, expiresAt: invitation.expiresAt };
    }
    if (!user) {
      user = tx
        .insert(users)
        .values({
          id: newId("usr", now.getTime()),
          email: input.email,
          name: input.name,
          status: "invited",
          homeOrgId: input.orgId,
          createdAt: now,
        })
        .returning()
        .get();
    }
    if (!member) {
      tx.insert(memberships)
        .values({ id: newId("mem", now.getTime()), orgId: input.orgId, userId: user.id, role: role.role })
        .run();
    }
    const { token, row } = issueEmailToken(
      tx,
      {
        kind: "invitation",
        userId: user.id,
        orgId: input.orgId,
        role: role.role,
        invitedBy: input.actor?.userId ?? null,
        ttlMs: INVITATION_TTL_MS,
      },
      now,
    );
    const link = `${input.baseUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
    queueMail(
      tx,
      log,
      invitationMail({
        orgId: input.orgId,
        branding: mailBrandingFor(tx, input.orgId),
        to: user.email,
        organizationName: organization.name,
        inviterName: inviter?.name ?? null,
        roleName: role.label,
        link,
      }),
      now,
    );
    audit(tx, user.id, Boolean(member));
    return { user, status: "invited", role, expiresAt: row.expiresAt };
  });
}

/** POST /invitations: invites (or re-invites) a person into the caller's organisation. */
export function createInvitation(ctx: ServiceContext, input: InvitationInput, baseUrl: string): InvitationResult {
  return inviteMember(ctx.db, ctx.log, {
    orgId: ctx.orgId,
    email: input.email,
    name: input.name ?? input.email.split("@")[0] ?? input.email,
    role: input.role,
    actor: { userId: ctx.userId, apiKeyId: ctx.apiKeyId, permissions: ctx.permissions },
    resend: true,
    baseUrl,
    meta: ctx.meta,
  });
}
