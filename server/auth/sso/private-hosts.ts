import { asc, eq } from "drizzle-orm";
import { organizations } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import { notFound } from "../../http/errors.ts";
import {
  findAllowedPrivateHosts,
  findOrganizationPrivateHosts,
  saveAllowedPrivateHosts,
  saveOrganizationPrivateHosts,
} from "../../outbound/outbound-hosts.ts";
import type { ServiceContext } from "../sessions/context.ts";

/**
 * A list the instance admin keeps for each organisation, vouching for something only the box's
 * owner may (private hosts to reach, e-mail domains a provider may make accounts for): where it
 * is stored, and how a change is audited in the organisation it applies to.
 */
export type OrganizationListKind = {
  find: (db: Db, orgId: string) => string[];
  save: (db: Db, orgId: string, values: readonly string[], now: Date) => string[];
  action: string;
  details: (saved: string[], before: string[]) => Record<string, unknown>;
};

/** Every organisation on the box, by name, with its list. Only for the instance admin: it names them all. */
export function listOrganizationLists(
  ctx: ServiceContext,
  kind: OrganizationListKind,
): { orgId: string; name: string; values: string[] }[] {
  return ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .orderBy(asc(organizations.name))
    .all()
    .map((org) => ({ orgId: org.id, name: org.name, values: kind.find(ctx.db, org.id) }));
}

/**
 * Replaces one organisation's list (404 for an unknown one); the caller has been checked to be
 * the instance admin. Audited in that organisation's own log, so that its admins see who vouched
 * for what.
 */
export function replaceOrganizationList(
  ctx: ServiceContext,
  orgId: string,
  kind: OrganizationListKind,
  values: readonly string[],
  now = new Date(),
): { name: string; values: string[] } {
  const org = ctx.db.select().from(organizations).where(eq(organizations.id, orgId)).get();
  if (!org) throw notFound("organisation");
  const before = kind.find(ctx.db, org.id);
  const saved = kind.save(ctx.db, org.id, values, now);
  audit(ctx, org.id, kind.action, kind.details(saved, before), now);
  return { name: org.name, values: saved };
}

/** `box` for the box-wide list (model pulls), or an organisation's id. */
export type PrivateHostsScope = "box" | { orgId: string };

export type PrivateHostsList = { scope: string; name: string; hosts: string[] };

const privateHosts: OrganizationListKind = {
  find: findOrganizationPrivateHosts,
  save: saveOrganizationPrivateHosts,
  action: "outbound.private_hosts_changed",
  details: (hosts) => ({ hosts, scope: "organization" }),
};

/** Every list of private hosts the instance admin keeps: one per organisation, by name, then the box-wide one. */
export function listPrivateHostLists(ctx: ServiceContext): PrivateHostsList[] {
  return [
    ...listOrganizationLists(ctx, privateHosts).map((list) => ({
      scope: list.orgId,
      name: list.name,
      hosts: list.values,
    })),
    { scope: "box", name: "The box itself", hosts: findAllowedPrivateHosts(ctx.db) },
  ];
}

/**
 * Replaces one list of private hosts; the caller has been checked to be the instance admin. The
 * box-wide one is audited in the instance admin's current organisation.
 */
export function replacePrivateHosts(
  ctx: ServiceContext,
  scope: PrivateHostsScope,
  hosts: readonly string[],
  now = new Date(),
): { name: string; hosts: string[] } {
  if (scope === "box") {
    const saved = saveAllowedPrivateHosts(ctx.db, hosts, now);
    audit(ctx, ctx.orgId, privateHosts.action, { hosts: saved, scope: "box" }, now);
    return { name: "The box itself", hosts: saved };
  }
  const saved = replaceOrganizationList(ctx, scope.orgId, privateHosts, hosts, now);
  return { name: saved.name, hosts: saved.values };
}

function audit(ctx: ServiceContext, orgId: string, action: string, details: Record<string, unknown>, now: Date): void {
  recordAudit(
    ctx.db,
    { orgId, action, actorUserId: ctx.userId, actorApiKeyId: ctx.apiKeyId, details, meta: ctx.meta },
    now,
  );
}
