import { and, eq } from "drizzle-orm";
import { customRoles, memberships, type Organization, organizations } from "../../models/identity.ts";
import type { Db } from "../db.ts";
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
  const custom = db
    .select()
    .from(customRoles)
    .where(and(eq(customRoles.id, role), eq(customRoles.orgId, orgId)))
    .get();
  if (!custom) return null;
  return { name: custom.name, permissions: new Set(custom.permissions.filter(isPermission)) };
}

/** A person's membership of one organisation with its permissions, or null when they are not a member. */
export function resolveMembership(db: Db, userId: string, orgId: string): ResolvedMembership | null {
  const row = db
    .select()
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)))
    .get();
  if (!row) return null;
  const role = permissionsOfRole(db, orgId, row.memberships.role);
  if (!role) return null;
  return {
    organization: row.organizations,
    role: row.memberships.role,
    roleName: role.name,
    permissions: role.permissions,
  };
}

/** Every organisation a person belongs to, oldest membership first. */
export function listUserOrganizations(db: Db, userId: string): { id: string; name: string; role: string }[] {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt)
    .all();
}
