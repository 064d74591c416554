import { and, eq } from "drizzle-orm";
import { memberships } from "../../../models/identity.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { notFound } from "../../http/errors.ts";
import { roleOf } from "../../members/directory.ts";
import { memberIdsLedBy } from "../teams/membership.ts";

/**
 * Whose time a caller may read and change: always their own; with `timesheets.approve`, a
 * Manager or Admin sees everyone and anyone else (a Team Lead, a custom role) the people of the
 * teams they lead.
 */
export type TimeScope = { kind: "all" } | { kind: "people"; ids: ReadonlySet<string> };

const everyoneRoles = new Set(["admin", "manager"]);

/** Whether the caller approves everyone's time (Manager, Admin) rather than only their teams'. */
export function approvesEveryone(ctx: ServiceContext): boolean {
  return ctx.permissions.has("timesheets.approve") && everyoneRoles.has(roleOf(ctx.db, ctx.orgId, ctx.userId) ?? "");
}

export function timeScopeOf(ctx: ServiceContext): TimeScope {
  if (!ctx.permissions.has("timesheets.approve")) return { kind: "people", ids: new Set([ctx.userId]) };
  if (approvesEveryone(ctx)) return { kind: "all" };
  return { kind: "people", ids: new Set([ctx.userId, ...memberIdsLedBy(ctx.db, ctx.orgId, ctx.userId)]) };
}

export function inScope(scope: TimeScope, userId: string): boolean {
  return scope.kind === "all" || scope.ids.has(userId);
}

/** 404 (never 403: the row's existence is not told) unless the caller may see `userId`'s time. */
export function assertSeesTimeOf(ctx: ServiceContext, userId: string): void {
  if (userId === ctx.userId) return;
  const member = ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)))
    .get();
  if (!member || !inScope(timeScopeOf(ctx), userId)) throw notFound("person");
}
