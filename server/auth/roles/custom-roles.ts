import { and, asc, count, eq, ne } from "drizzle-orm";
import { type CustomRole, customRoles, memberships } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import { newId } from "../../tools/ids.ts";
import type { CustomRoleInput, UpdateCustomRoleInput } from "../people/people-schemas.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { assertWithin } from "./assignable-roles.ts";
import {
  builtInRoles,
  isPermission,
  type Permission,
  permissions,
  roleLabels,
  rolePermissions,
} from "./permissions.ts";

export type RoleJson = {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: Permission[];
  members: number;
  createdAt: string | null;
};

const BEYOND_OWN = "A role cannot have permissions you do not have.";

/** The built-in roles, then the organisation's custom roles, each with how many members hold it. */
export function listRoles(ctx: ServiceContext): RoleJson[] {
  const counts = new Map(
    ctx.db
      .select({ role: memberships.role, members: count() })
      .from(memberships)
      .where(eq(memberships.orgId, ctx.orgId))
      .groupBy(memberships.role)
      .all()
      .map((row) => [row.role, row.members]),
  );
  const builtIn = builtInRoles.map((role) => ({
    id: role,
    name: roleLabels[role],
    builtIn: true,
    permissions: inTableOrder(rolePermissions[role]),
    members: counts.get(role) ?? 0,
    createdAt: null,
  }));
  const custom = ctx.db
    .select()
    .from(customRoles)
    .where(eq(customRoles.orgId, ctx.orgId))
    .orderBy(asc(customRoles.name))
    .all()
    .map((role) => customRoleJson(role, counts.get(role.id) ?? 0));
  return [...builtIn, ...custom];
}

export function findCustomRoleById(ctx: ServiceContext, id: string): RoleJson | null {
  const role = ctx.db
    .select()
    .from(customRoles)
    .where(and(eq(customRoles.id, id), eq(customRoles.orgId, ctx.orgId)))
    .get();
  return role ? customRoleJson(role, membersHolding(ctx, id)) : null;
}

/** The custom role, or 404 "No such role." for unknown ids and other organisations' roles. */
export function customRoleOrNotFound(ctx: ServiceContext, id: string): RoleJson {
  const role = findCustomRoleById(ctx, id);
  if (!role) throw notFound("role");
  return role;
}

export function roleEtag(role: RoleJson): string {
  return etagOf(role);
}

/** A new custom role built from permission names; never beyond the creator's own permissions. */
export function createCustomRole(ctx: ServiceContext, input: CustomRoleInput, now = new Date()): RoleJson {
  assertWithin(new Set(input.permissions), ctx.permissions, BEYOND_OWN);
  assertNameFree(ctx, input.name, null);
  const role = ctx.db.transaction((tx) => {
    const created = tx
      .insert(customRoles)
      .values({
        id: newId("rol", now.getTime()),
        orgId: ctx.orgId,
        name: input.name,
        permissions: input.permissions,
        createdAt: now,
      })
      .returning()
      .get();
    recordAudit(
      tx,
      {
        ...auditBase(ctx, created.id),
        action: "role.created",
        details: { name: input.name, permissions: input.permissions },
      },
      now,
    );
    return created;
  });
  return customRoleJson(role, 0);
}

/** Renames a custom role or replaces its permissions; its holders' permissions change with it. */
export function updateCustomRole(
  ctx: ServiceContext,
  id: string,
  input: UpdateCustomRoleInput,
  ifMatch?: string,
): RoleJson {
  const current = customRoleOrNotFound(ctx, id);
  assertIfMatch(ifMatch, roleEtag(current));
  assertWithin(
    new Set(current.permissions),
    ctx.permissions,
    "You cannot change a role with permissions you do not have.",
  );
  if (input.permissions) assertWithin(new Set(input.permissions), ctx.permissions, BEYOND_OWN);
  if (input.name !== undefined) assertNameFree(ctx, input.name, id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (input.name !== undefined && input.name !== current.name) changes.name = { from: current.name, to: input.name };
  if (input.permissions && !samePermissions(input.permissions, current.permissions)) {
    changes.permissions = { from: current.permissions, to: inTableOrder(new Set(input.permissions)) };
  }
  if (Object.keys(changes).length > 0) {
    ctx.db.transaction((tx) => {
      tx.update(customRoles)
        .set({ name: input.name ?? current.name, permissions: input.permissions ?? current.permissions })
        .where(and(eq(customRoles.id, id), eq(customRoles.orgId, ctx.orgId)))
        .run();
      recordAudit(tx, { ...auditBase(ctx, id), action: "role.updated", details: changes });
    });
  }
  return customRoleOrNotFound(ctx, id);
}

/** Deletes a custom role nobody holds; 409 while members hold it. */
export function deleteCustomRole(ctx: ServiceContext, id: string): void {
  const current = customRoleOrNotFound(ctx, id);
  assertWithin(
    new Set(current.permissions),
    ctx.permissions,
    "You cannot delete a role with permissions you do not have.",
  );
  if (current.members > 0) {
    throw new AppError("conflict", `${current.members} member(s) still hold this role. Give them another role first.`);
  }
  ctx.db.transaction((tx) => {
    tx.delete(customRoles)
      .where(and(eq(customRoles.id, id), eq(customRoles.orgId, ctx.orgId)))
      .run();
    recordAudit(tx, { ...auditBase(ctx, id), action: "role.deleted", details: { name: current.name } });
  });
}

function customRoleJson(role: CustomRole, members: number): RoleJson {
  return {
    id: role.id,
    name: role.name,
    builtIn: false,
    permissions: inTableOrder(new Set(role.permissions.filter(isPermission))),
    members,
    createdAt: role.createdAt.toISOString(),
  };
}

function inTableOrder(set: ReadonlySet<Permission>): Permission[] {
  return permissions.filter((permission) => set.has(permission));
}

function samePermissions(a: Permission[], b: Permission[]): boolean {
  return a.length === b.length && inTableOrder(new Set(a)).join() === b.join();
}

function membersHolding(ctx: ServiceContext, roleId: string): number {
  return (
    ctx.db
      .select({ members: count() })
      .from(memberships)
      .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.role, roleId)))
      .get()?.members ?? 0
  );
}

/** Names are unique in the organisation, and the built-in names stay unambiguous. */
function assertNameFree(ctx: ServiceContext, name: string, exceptId: string | null): void {
  const lower = name.toLowerCase();
  const builtIn = builtInRoles.some((role) => role === lower || roleLabels[role].toLowerCase() === lower);
  if (builtIn) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "name", message: "This is the name of a built-in role. Choose another." },
    ]);
  }
  const taken = ctx.db
    .select({ id: customRoles.id, name: customRoles.name })
    .from(customRoles)
    .where(and(eq(customRoles.orgId, ctx.orgId), exceptId ? ne(customRoles.id, exceptId) : undefined))
    .all()
    .some((role) => role.name.toLowerCase() === lower);
  if (taken) throw new AppError("conflict", `A role named "${name}" already exists.`);
}

function auditBase(ctx: ServiceContext, roleId: string) {
  return {
    orgId: ctx.orgId,
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    targetType: "role",
    targetId: roleId,
    meta: ctx.meta,
  };
}
