import { and, eq } from "drizzle-orm";
import { memberships, organizations, type User, users } from "../../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import { findOrganizationPolicy } from "../organizations/org-policy.ts";
import { findRole } from "../roles/assignable-roles.ts";
import { checkPasswordStrength, hashPassword } from "../sessions/passwords.ts";
import { consumeEmailToken, findUsableEmailToken, revokeEmailTokens } from "./email-tokens.ts";

export type InvitationDetails = {
  email: string;
  name: string;
  organizationId: string;
  organizationName: string;
  roleName: string;
  passwordMinLength: number;
};

export type AcceptResult =
  | { ok: true; user: User; orgId: string }
  | { ok: false; field: "token" | "password"; message: string };

const INVALID_LINK =
  "This invitation link is not valid any more: it was used, replaced or has expired. Ask for a new one.";

/** What the accept page shows for a live invitation token, or null when the link is dead. */
export function findInvitationByToken(db: Db, token: string | null | undefined): InvitationDetails | null {
  const row = findUsableEmailToken(db, "invitation", token);
  if (!row?.orgId) return null;
  const found = db
    .select()
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, row.orgId)))
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(users.id, row.userId))
    .get();
  if (found?.users.status !== "invited") return null;
  return {
    email: found.users.email,
    name: found.users.name,
    organizationId: found.organizations.id,
    organizationName: found.organizations.name,
    roleName: findRole(db, row.orgId, found.memberships.role)?.label ?? found.memberships.role,
    passwordMinLength: findOrganizationPolicy(db, row.orgId).passwordMinLength,
  };
}

/**
 * Accepts an invitation: the person chooses a password (the organisation's rules), the account
 * becomes active and every invitation link of theirs stops working. The caller signs them in.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<AcceptResult> {
  const details = findInvitationByToken(db, input.token);
  const row = findUsableEmailToken(db, "invitation", input.token, now);
  if (!details || !row) return { ok: false, field: "token", message: INVALID_LINK };
  const check = checkPasswordStrength(input.password, {
    email: details.email,
    minLength: details.passwordMinLength,
  });
  if (!check.ok) return { ok: false, field: "password", message: check.message };
  // Hash before the transaction: argon2 takes a while and must not hold the write lock.
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx): AcceptResult => {
    if (!consumeEmailToken(tx, row.id, now)) return { ok: false, field: "token", message: INVALID_LINK };
    const user = tx
      .update(users)
      .set({ passwordHash, status: "active", passwordChangedAt: now })
      .where(and(eq(users.id, row.userId), eq(users.status, "invited")))
      .returning()
      .get();
    if (!user) return { ok: false, field: "token", message: INVALID_LINK };
    revokeEmailTokens(tx, user.id, "invitation", undefined, now);
    recordAudit(
      tx,
      {
        orgId: details.organizationId,
        action: "user.invitation_accepted",
        actorUserId: user.id,
        targetType: "user",
        targetId: user.id,
        meta,
      },
      now,
    );
    return { ok: true, user, orgId: details.organizationId };
  });
}
