import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import {
  type MembershipInvitation,
  membershipInvitations,
  memberships,
  organizations,
  type User,
  users,
} from "../../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db, Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { AppError, notFound } from "../../http/errors.ts";
import type { Logger } from "../../http/logger.ts";
import { mailBrandingFor } from "../../mail/logo.ts";
import { queueMail } from "../../mail/outbox.ts";
import { newId } from "../../tools/ids.ts";
import { findRole } from "../roles/assignable-roles.ts";
import {
  consumeEmailToken,
  findUsableEmailToken,
  INVITATION_TTL_MS,
  issueEmailToken,
  revokeEmailTokens,
} from "./email-tokens.ts";
import { recordInMemberOrganizations } from "./member-elsewhere.ts";
import { membershipInvitationMail } from "./people-mail.ts";
import { ALREADY_IN_ORGANIZATION } from "./people-schemas.ts";

/**
 * Invites an account that already exists into an organisation: nothing changes for the
 * account until its person accepts with the e-mailed link from their own session. A second
 * call refreshes the invitation (new link, the role asked for now). The other organisations
 * of the person are told in their audit logs.
 */
export function inviteExistingAccount(
  tx: Queryable,
  log: Logger,
  input: {
    orgId: string;
    organizationName: string;
    user: User;
    role: { role: string; label: string };
    displayName: string;
    inviter: { userId: string; name: string } | null;
    /** Whether an invitation already waiting gets a fresh link (else 409). */
    resend: boolean;
    baseUrl: string;
  },
  now = new Date(),
): { invitation: MembershipInvitation; refreshed: boolean } {
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const existing = tx
    .select()
    .from(membershipInvitations)
    .where(and(eq(membershipInvitations.orgId, input.orgId), eq(membershipInvitations.userId, input.user.id)))
    .get();
  if (existing && !input.resend) throw new AppError("conflict", ALREADY_IN_ORGANIZATION);
  const values = {
    role: input.role.role,
    displayName: input.displayName,
    invitedBy: input.inviter?.userId ?? null,
    expiresAt,
  };
  const invitation = existing
    ? tx.update(membershipInvitations).set(values).where(eq(membershipInvitations.id, existing.id)).returning().get()
    : tx
        .insert(membershipInvitations)
        .values({
          id: newId("mem", now.getTime()),
          orgId: input.orgId,
          userId: input.user.id,
          createdAt: now,
          ...values,
        })
        .returning()
        .get();
  const { token } = issueEmailToken(
    tx,
    {
      kind: "membership",
      userId: input.user.id,
      orgId: input.orgId,
      role: input.role.role,
      invitedBy: input.inviter?.userId ?? null,
      ttlMs: INVITATION_TTL_MS,
    },
    now,
  );
  queueMail(
    tx,
    log,
    membershipInvitationMail({
      orgId: input.orgId,
      branding: mailBrandingFor(tx, input.orgId),
      to: input.user.email,
      organizationName: input.organizationName,
      inviterName: input.inviter?.name ?? null,
      roleName: input.role.label,
      link: `${input.baseUrl}/invitations/join?token=${encodeURIComponent(token)}`,
    }),
    now,
  );
  if (!existing) {
    recordInMemberOrganizations(
      tx,
      {
        userId: input.user.id,
        actingOrgId: input.orgId,
        actingOrganizationName: input.organizationName,
        action: "user.invited_elsewhere",
      },
      now,
    );
  }
  return { invitation, refreshed: Boolean(existing) };
}

/** A pending invitation of the current organisation to `userId`, or null. */
export function findPendingInvitation(db: Queryable, orgId: string, userId: string): MembershipInvitation | null {
  return (
    db
      .select()
      .from(membershipInvitations)
      .where(and(eq(membershipInvitations.orgId, orgId), eq(membershipInvitations.userId, userId)))
      .get() ?? null
  );
}

export type MyInvitation = {
  id: string;
  organizationId: string;
  organizationName: string;
  role: string;
  roleName: string;
  expiresAt: Date;
  createdAt: Date;
};

/** The organisations waiting for the signed-in person's answer, oldest first (expired ones left out). */
export function listMyInvitations(db: Db, userId: string, now = new Date()): MyInvitation[] {
  return db
    .select({ invitation: membershipInvitations, organizationName: organizations.name })
    .from(membershipInvitations)
    .innerJoin(organizations, eq(organizations.id, membershipInvitations.orgId))
    .where(eq(membershipInvitations.userId, userId))
    .orderBy(asc(membershipInvitations.id))
    .all()
    .filter((row) => row.invitation.expiresAt > now)
    .map(({ invitation, organizationName }) => ({
      id: invitation.id,
      organizationId: invitation.orgId,
      organizationName,
      role: invitation.role,
      roleName: findRole(db, invitation.orgId, invitation.role)?.label ?? invitation.role,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
    }));
}

/** How many organisations wait for the person's answer: one indexed count on every console page. */
export function countMyInvitations(db: Db, userId: string, now = new Date()): number {
  return (
    preparedQuery(db, "auth.countMyInvitations", () =>
      db
        .select({ waiting: count() })
        .from(membershipInvitations)
        .where(
          and(
            eq(membershipInvitations.userId, sql.placeholder("userId")),
            gt(membershipInvitations.expiresAt, sql.placeholder("now")),
          ),
        )
        .prepare(),
    ).get({ userId, now: now.getTime() })?.waiting ?? 0
  );
}

export type JoinLink =
  | { ok: true; invitation: MyInvitation; email: string; forUserId: string; tokenId: string; tokenRole: string | null }
  | { ok: false; reason: "invalid" };

/** What a membership link (`/invitations/join?token=…`) invites to, or why it is dead. */
export function findJoinLink(db: Db, token: string | null | undefined, now = new Date()): JoinLink {
  const row = findUsableEmailToken(db, "membership", token, now);
  if (!row?.orgId) return { ok: false, reason: "invalid" };
  const invitation = listMyInvitations(db, row.userId, now).find((one) => one.organizationId === row.orgId);
  const user = db.select({ email: users.email }).from(users).where(eq(users.id, row.userId)).get();
  // A link names the role it was sent with: once the organisation changes it, the person is asked again.
  if (!invitation || !user || invitation.role !== row.role) return { ok: false, reason: "invalid" };
  return { ok: true, invitation, email: user.email, forUserId: row.userId, tokenId: row.id, tokenRole: row.role };
}

export type JoinResult =
  | { ok: true; orgId: string; organizationName: string }
  | { ok: false; reason: "invalid" | "wrong_account" };

/**
 * Accepts a membership invitation. Both halves are needed: the e-mailed link (the address is
 * the person's) and the person's own signed-in session (the account is theirs); an
 * organisation that made an account for someone else's address holds the session but never
 * the other organisation's link.
 */
export function acceptMembershipInvitation(
  db: Db,
  input: { token: string; userId: string; meta: RequestMeta },
  now = new Date(),
): JoinResult {
  const link = findJoinLink(db, input.token, now);
  if (!link.ok) return link;
  if (link.forUserId !== input.userId) return { ok: false, reason: "wrong_account" };
  return db.transaction((tx): JoinResult => {
    if (!consumeEmailToken(tx, link.tokenId, now)) return { ok: false, reason: "invalid" };
    const invitation = findPendingInvitation(tx, link.invitation.organizationId, input.userId);
    if (!invitation || invitation.role !== link.tokenRole) return { ok: false, reason: "invalid" };
    tx.delete(membershipInvitations).where(eq(membershipInvitations.id, invitation.id)).run();
    tx.insert(memberships)
      .values({
        id: invitation.id,
        orgId: invitation.orgId,
        userId: input.userId,
        role: invitation.role,
        displayName: invitation.displayName,
        createdAt: now,
      })
      .run();
    recordAudit(
      tx,
      {
        orgId: invitation.orgId,
        action: "user.joined",
        actorUserId: input.userId,
        targetType: "user",
        targetId: input.userId,
        details: { role: invitation.role },
        meta: input.meta,
      },
      now,
    );
    return { ok: true, orgId: invitation.orgId, organizationName: link.invitation.organizationName };
  });
}

/** The person says no: the invitation and its link are gone, and the organisation is told. */
export function declineMembershipInvitation(
  db: Db,
  input: { invitationId: string; userId: string; meta: RequestMeta },
  now = new Date(),
): void {
  const invitation = db
    .select()
    .from(membershipInvitations)
    .where(and(eq(membershipInvitations.id, input.invitationId), eq(membershipInvitations.userId, input.userId)))
    .get();
  if (!invitation) throw notFound("invitation");
  db.transaction((tx) => {
    tx.delete(membershipInvitations).where(eq(membershipInvitations.id, invitation.id)).run();
    revokeEmailTokens(tx, input.userId, "membership", invitation.orgId, now);
    recordAudit(
      tx,
      {
        orgId: invitation.orgId,
        action: "user.invitation_declined",
        actorUserId: input.userId,
        targetType: "user",
        targetId: input.userId,
        meta: input.meta,
      },
      now,
    );
  });
}

/** The organisation takes its invitation back (DELETE /users/{id} of a person who has not answered). */
export function withdrawMembershipInvitation(tx: Queryable, invitation: MembershipInvitation, now = new Date()): void {
  tx.delete(membershipInvitations).where(eq(membershipInvitations.id, invitation.id)).run();
  revokeEmailTokens(tx, invitation.userId, "membership", invitation.orgId, now);
}
