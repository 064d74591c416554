import { and, eq } from "drizzle-orm";
import { memberships, organizations, type User, users } from "../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import type { Db } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { newId } from "../ids.ts";
import { queueMail } from "../mail/outbox.ts";
import { type RoleInfo, resolveAssignableRole } from "./assignable-roles.ts";
import type { ServiceContext } from "./context.ts";
import { INVITATION_TTL_MS, issueEmailToken } from "./email-tokens.ts";
import { addedToOrganizationMail, invitationMail } from "./people-mail.ts";
import type { InvitationInput } from "./people-schemas.ts";
import type { Permission } from "./permissions.ts";

export type InvitationResult = {
  user: User;
  role: RoleInfo;
  /** When the e-mailed link stops working; null when an existing account was added without one. */
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
 * Brings a person into an organisation with a role. A new e-mail gets an invited account and
 * a single-use link (7 days) to choose a password; an existing account is added at once and
 * told by e-mail. A member already there is 409, unless `resend` and still invited (a fresh
 * link, with the role asked for now).
 */
export function inviteMember(db: Db, log: Logger, input: InviteInput, now = new Date()): InvitationResult {
  const role = resolveAssignableRole(db, input.orgId, input.role, input.actor?.permissions ?? null);
  const organization = db.select().from(organizations).where(eq(organizations.id, input.orgId)).get();
  if (!organization) throw new AppError("not_found", "Organisation not found.");
  const inviterName = input.actor
    ? (db.select({ name: users.name }).from(users).where(eq(users.id, input.actor.userId)).get()?.name ?? null)
    : null;

  return db.transaction((tx) => {
    let user = tx.select().from(users).where(eq(users.email, input.email)).get();
    const member = user
      ? tx
          .select()
          .from(memberships)
          .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, user.id)))
          .get()
      : undefined;
    if (user && member && !(input.resend && user.status === "invited")) {
      throw new AppError("conflict", "This person is already a member of the organisation.");
    }
    if (user?.status === "deactivated") {
      throw new AppError("conflict", "This person's account is deactivated. Reactivate it instead of inviting it.");
    }
    if (!user) {
      user = tx
        .insert(users)
        .values({
          id: newId("usr", now.getTime()),
          email: input.email,
          name: input.name,
          status: "invited",
          createdAt: now,
        })
        .returning()
        .get();
    }
    if (!member) {
      tx.insert(memberships)
        .values({
          id: newId("mem", now.getTime()),
          orgId: input.orgId,
          userId: user.id,
          role: role.role,
          createdAt: now,
        })
        .run();
    } else if (member.role !== role.role) {
      // A re-sent invitation carries the role asked for now; the person has no session yet to revoke.
      tx.update(memberships).set({ role: role.role }).where(eq(memberships.id, member.id)).run();
    }
    const mailBase = { orgId: input.orgId, to: user.email, organizationName: organization.name, inviterName };
    let expiresAt: Date | null = null;
    if (user.status === "invited") {
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
      expiresAt = row.expiresAt;
      const link = `${input.baseUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
      queueMail(tx, log, invitationMail({ ...mailBase, roleName: role.label, link }), now);
    } else {
      queueMail(
        tx,
        log,
        addedToOrganizationMail({ ...mailBase, roleName: role.label, signInUrl: `${input.baseUrl}/sign-in` }),
        now,
      );
    }
    recordAudit(
      tx,
      {
        orgId: input.orgId,
        action: member ? "user.invitation_resent" : "user.invited",
        actorUserId: input.actor?.userId ?? null,
        actorApiKeyId: input.actor?.apiKeyId ?? null,
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, role: role.role, existingAccount: user.status !== "invited" },
        meta: input.meta,
      },
      now,
    );
    return { user, role, expiresAt };
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
