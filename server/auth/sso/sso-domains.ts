import { eq } from "drizzle-orm";
import { users } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { findOrganizationList, saveOrganizationList } from "../../outbound/outbound-hosts.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { listOrganizationLists, type OrganizationListKind, replaceOrganizationList } from "./private-hosts.ts";
import type { DomainRule } from "./sso-schemas.ts";

/**
 * E-mail domains whose addresses an organisation's domain rules may make accounts for. A rule
 * lets a provider the organisation controls create accounts (with the organisation as their
 * home) for any address at its domain, so only the box's instance admin may vouch that the
 * organisation owns the domain; a rule for any other domain has no effect.
 */
export const APPROVED_SSO_DOMAINS_KEY = "sso.approvedDomains";

const approvedDomains: OrganizationListKind = {
  find: (db, orgId) => findOrganizationList(db, orgId, APPROVED_SSO_DOMAINS_KEY),
  save: (db, orgId, values, now) => saveOrganizationList(db, orgId, APPROVED_SSO_DOMAINS_KEY, values, now),
  action: "sso.domains_approved_changed",
  details: (domains, before) => ({
    domains,
    added: domains.filter((domain) => !before.includes(domain)),
    removed: before.filter((domain) => !domains.includes(domain)),
  }),
};

/** A rule as the API and console show it: whether it may make accounts, or waits for the instance admin. */
export type PublicDomainRule = DomainRule & { approved: boolean };

/** The domains the instance admin approved for one organisation's domain rules. */
export function findApprovedDomains(db: Db, orgId: string): string[] {
  return approvedDomains.find(db, orgId);
}

/** Each rule with whether its domain is approved for the organisation. */
export function withApproval(rules: DomainRule[], approved: readonly string[]): PublicDomainRule[] {
  return rules.map((rule) => ({ ...rule, approved: approved.includes(rule.domain) }));
}

/** Every organisation's approved domains, by name. Only for the instance admin: it names every organisation. */
export function listApprovedDomainLists(ctx: ServiceContext): { orgId: string; name: string; domains: string[] }[] {
  return listOrganizationLists(ctx, approvedDomains).map((list) => ({
    orgId: list.orgId,
    name: list.name,
    domains: list.values,
  }));
}

/** Replaces one organisation's approved domains; the caller has been checked to be the instance admin. */
export function replaceApprovedDomains(
  ctx: ServiceContext,
  orgId: string,
  domains: readonly string[],
  now = new Date(),
): { name: string; domains: string[] } {
  const saved = replaceOrganizationList(ctx, orgId, approvedDomains, domains, now);
  return { name: saved.name, domains: saved.values };
}

/**
 * When the instance admin saves a provider, the domains its rules name are approved for the
 * provider's organisation at once: they could approve them on the settings page anyway. Anyone
 * else's rules for unapproved domains wait.
 */
export function approveRuleDomainsOfInstanceAdmin(ctx: ServiceContext, rules: DomainRule[], now = new Date()): void {
  if (rules.length === 0) return;
  const caller = ctx.db
    .select({ isInstanceAdmin: users.isInstanceAdmin })
    .from(users)
    .where(eq(users.id, ctx.userId))
    .get();
  if (!caller?.isInstanceAdmin) return;
  const approved = findApprovedDomains(ctx.db, ctx.orgId);
  const missing = rules.map((rule) => rule.domain).filter((domain) => !approved.includes(domain));
  if (missing.length > 0) replaceOrganizationList(ctx, ctx.orgId, approvedDomains, [...approved, ...missing], now);
}
