import type { Db } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { isBuiltInRole, type Permission, roleLabels } from "./permissions.ts";
import { permissionsOfRole } from "./roles.ts";

export type RoleInfo = { role: string; label: string; permissions: ReadonlySet<Permission> };

/** A role of the organisation with its readable name, or null when it is neither built in nor one of its custom roles. */
export function findRole(db: Db, orgId: string, role: string): RoleInfo | null {
  const found = permissionsOfRole(db, orgId, role);
  if (!found) return null;
  return { role, label: isBuiltInRole(role) ? roleLabels[role] : found.name, permissions: found.permissions };
}

/**
 * The role someone may hand out: it must exist in the organisation (422 otherwise) and give
 * nothing the giver lacks (403), so that nobody can raise anyone, themselves included, above
 * their own role. `actorPermissions` null means the box's operator (CLI), who may give anything.
 */
export function resolveAssignableRole(
  db: Db,
  orgId: string,
  role: string,
  actorPermissions: ReadonlySet<Permission> | null,
): RoleInfo {
  const found = findRole(db, orgId, role);
  if (!found) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "role", message: "There is no such role in this organisation." },
    ]);
  }
  assertWithin(found.permissions, actorPermissions, "You cannot give a role with permissions you do not have.");
  return found;
}

/** 403 when `permissions` go beyond what the actor holds. */
export function assertWithin(
  permissions: ReadonlySet<Permission>,
  actorPermissions: ReadonlySet<Permission> | null,
  message: string,
): void {
  if (!actorPermissions) return;
  for (const permission of permissions) {
    if (!actorPermissions.has(permission)) throw new AppError("forbidden", message);
  }
}
