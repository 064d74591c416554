import { asc, eq } from "drizzle-orm";
import { organizations } from "../../models/identity.ts";
import { recordAudit } from "../audit/service.ts";
import { AppError } from "../http/errors.ts";
import {
  findAllowedPrivateHosts,
  findOrganizationPrivateHosts,
  saveAllowedPrivateHosts,
  saveOrganizationPrivateHosts,
} from "../http/outbound-hosts.ts";
import type { ServiceContext } from "./context.ts";

/** `box` for the box-wide list (model pulls), or an organisation's id. */
export type PrivateHostsScope = "box" | { orgId: string };

export type PrivateHostsList = { scope: string; name: string; hosts: string[] };

/**
 * Every list the instance admin keeps: one per organisation, by name, then the box-wide one.
 * Only for the instance admin: it names every organisation on the box.
 */
export function listPrivateHostLists(ctx: ServiceContext): PrivateHostsList[] {
  const orgs = ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .orderBy(asc(organizations.name))
    .all();
  return [
    ...orgs.map((org) => ({ scope: org.id, name: org.name, hosts: findOrganizationPrivateHosts(ctx.db, org.id) })),
    { scope: "box", name: "The box itself", hosts: findAllowedPrivateHosts(ctx.db) },
  ];
}

/**
 * Replaces one list; the caller has been checked to be the instance admin. An organisation's
 * change is audited in that organisation's own log, so that its admins see who opened what; the
 * box-wide one in the instance admin's current organisation.
 */
export function replacePrivateHosts(
  ctx: ServiceContext,
  scope: PrivateHostsScope,
  hosts: readonly string[],
  now = new Date(),
): { name: string; hosts: string[] } {
  if (scope === "box") {
    const saved = saveAllowedPrivateHosts(ctx.db, hosts, now);
    audit(ctx, ctx.orgId, { hosts: saved, scope: "box" }, now);
    return { name: "The box itself", hosts: saved };
  }
  const org = ctx.db.select().from(organizations).where(eq(organizations.id, scope.orgId)).get();
  if (!org) throw new AppError("not_found", "No such organisation.");
  const saved = saveOrganizationPrivateHosts(ctx.db, org.id, hosts, now);
  audit(ctx, org.id, { hosts: saved, scope: "organization" }, now);
  return { name: org.name, hosts: saved };
}

function audit(ctx: ServiceContext, orgId: string, details: Record<string, unknown>, now: Date): void {
  recordAudit(
    ctx.db,
    {
      orgId,
      action: "outbound.private_hosts_changed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      details,
      meta: ctx.meta,
    },
    now,
  );
}
