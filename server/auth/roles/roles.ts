import { and, eq, sql } from "drizzle-orm";
import { customRoles, memberships, type Organization, organizations } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { isBuiltInRole, isPermission, type Permission, rolePermissions } from "./permissions.ts";

export type ResolvedMembership = {
  organization: Organization;
  /** The role as stored: a built-in name or a custom role id. */
  role: string;
  /** A readable name: "Admin", or the custom role's name. */
  roleName: string;
  permissions: ReadonlySet<Permission>;
};

/** What a role may do in an organisation: the built-in table, or a custom role's list. */
export function permissionsOfRole(
  db: Db,
  orgId: string,
  role: string,
): { name: string; permissions: ReadonlySet<Permission> } | null {
  if (isBuiltInRole(role)) return { name: role, permissions: rolePermissions[role] };
  const custom = preparedQuery(db, "auth.customRole", () =>
    db
      .select()
      .from(customRoles)
      .where(and(eq(customRoles.id, sql.placeholder("role")), eq(customRoles.orgId, sql.placeholder("orgId"))))
      .prepare(),
  ).get({ role, orgId });
  if (!custom) return null;
  return { name: custom.name, permissions: new Set(custom.permissions.filter(isPermission)) };
}

/** A person's membership of one organisation with its permissions, or null when they are not a member. */
export function resolveMembership(db: Db, userId: string, orgId: string): ResolvedMembership | null {
  // Two single-table lookups: cheaper in bun:sqlite than one join, and this runs on every request.
  const membership = preparedQuery(db, "auth.membership", () =>
    db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, sql.placeholder("userId")), eq(memberships.orgId, sql.placeholder("orgId"))))
      .prepare(),
  ).get({ userId, orgId });
  if (!membership) return null;
  const organization = preparedQuery(db, "auth.organization", () =>
    db
      .select()
      .from(organizations)
      .where(eq(organizations.id, sql.placeholder("orgId")))
      .prepare(),
  ).get({ orgId });
  if (!organization) return null;
  const role = permissionsOfRole(db, orgId, membership.role);
  if (!role) return null;
  return {
    organization,
    role: membership.role,
    roleName: role.name,
    permissions: role.permissions,
  };
}

/** Every organisation a person belongs to, oldest membership first. */
export function listUserOrganizations(db: Db, userId: string): { id: string; name: string; role: string }[] {
  return preparedQuery(db, "auth.userOrganizations", () =>
    db
      .select({ id: organizations.id, name: organizations.name, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, sql.placeholder("userId")))
      .orderBy(memberships.createdAt)
      .prepare(),
  ).all({ userId });
}
