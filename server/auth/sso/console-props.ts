import type { Context } from "hono";
import type { SsoProvider } from "../../../models/identity.ts";
import type { SsoSettingsPageProps } from "../../../views/pages/settings/sso.tsx";
import type { SsoFormErrors, SsoFormValues } from "../../../views/pages/settings/sso-form.tsx";
import { csrfToken } from "../../http/csrf.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { findOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { isBuiltInRole } from "../roles/permissions.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { listPrivateHostLists } from "./private-hosts.ts";
import { findApprovedDomains, listApprovedDomainLists } from "./sso-domains.ts";
import { listDomainRuleRoles, listSsoProviders, toPublicProvider } from "./sso-providers.ts";
import { tenantOfIssuer } from "./sso-schemas.ts";

/** The single sign-on page's props: providers, their form, and the private-hosts and approved-domains lists. */

type RoleOption = { role: string; label: string };

export const emptySsoForm: SsoFormValues = {
  kind: "google",
  name: "",
  tenant: "",
  issuer: "",
  clientId: "",
  domainRules: "",
  enabled: true,
};

export function ssoFormValuesOfProvider(provider: SsoProvider, roles: RoleOption[]): SsoFormValues {
  // Built-in roles read best by key (`member`); custom roles only by their name.
  const labelOf = (role: string) =>
    isBuiltInRole(role) ? role : (roles.find((option) => option.role === role)?.label ?? role);
  return {
    kind: provider.kind,
    name: provider.name,
    tenant: provider.kind === "microsoft" ? (tenantOfIssuer(provider.issuer) ?? "") : "",
    issuer: provider.kind === "oidc" ? provider.issuer : "",
    clientId: provider.clientId,
    domainRules: provider.domainRules.map((rule) => `${rule.domain} = ${labelOf(rule.role)}`).join("\n"),
    enabled: provider.enabled,
  };
}

export type View = {
  values?: SsoFormValues;
  errors?: SsoFormErrors;
  editingId?: string;
  notice?: string | null;
  /** A refused private-hosts form: which list, what was typed, and why. */
  privateHosts?: { scope: string; hosts: string; error: string };
  /** A refused approved-domains form: which organisation, what was typed, and why. */
  approvedDomains?: { scope: string; domains: string; error: string };
};

/** The private-hosts section: this organisation's list for everyone here, every list's form for the instance admin. */
export function privateHostsOf(c: Context<AppEnv>, ctx: ServiceContext, refused: View["privateHosts"]) {
  const instanceAdmin = c.var.auth?.user.isInstanceAdmin === true;
  const editors = instanceAdmin
    ? listPrivateHostLists(ctx).map((list) =>
        refused?.scope === list.scope
          ? { scope: list.scope, name: list.name, hosts: refused.hosts, error: refused.error }
          : { scope: list.scope, name: list.name, hosts: list.hosts.join("\n") },
      )
    : null;
  return {
    organisationName: c.var.auth?.membership?.organization.name ?? "This organisation",
    hosts: findOrganizationPrivateHosts(ctx.db, ctx.orgId),
    editors,
  };
}

/** The approved-domains section: this organisation's list for everyone here, every organisation's form for the instance admin. */
export function approvedDomainsOf(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  approved: string[],
  refused: View["approvedDomains"],
) {
  const editors =
    c.var.auth?.user.isInstanceAdmin === true
      ? listApprovedDomainLists(ctx).map((list) =>
          refused?.scope === list.orgId
            ? { orgId: list.orgId, name: list.name, domains: refused.domains, error: refused.error }
            : { orgId: list.orgId, name: list.name, domains: list.domains.join("\n") },
        )
      : null;
  return {
    organisationName: c.var.auth?.membership?.organization.name ?? "This organisation",
    domains: approved,
    editors,
  };
}

/** The page: every provider, the form (empty, or the provider being edited, or as typed) and the two lists. */
export function ssoSettingsProps(c: Context<AppEnv>, view: View, editing: SsoProvider | null): SsoSettingsPageProps {
  const ctx = serviceContext(c);
  const baseUrl = c.var.deps.config.baseUrl;
  const approved = findApprovedDomains(ctx.db, ctx.orgId);
  const roles = listDomainRuleRoles(ctx.db, ctx.orgId);
  const session = c.var.auth?.session;
  return {
    providers: listSsoProviders(ctx, { limit: 200 }).data.map((provider) =>
      toPublicProvider(provider, baseUrl, approved),
    ),
    editing: editing ? { id: editing.id, kind: editing.kind, name: editing.name } : null,
    values: view.values ?? (editing ? ssoFormValuesOfProvider(editing, roles) : emptySsoForm),
    errors: view.errors ?? {},
    roleNames: Object.fromEntries(
      roles.filter((role) => !isBuiltInRole(role.role)).map((role) => [role.role, role.label]),
    ),
    roleHints: roles.map((role) => (role.role === role.label ? role.label : `${role.role} (${role.label})`)),
    notice: view.notice ?? null,
    privateHosts: privateHostsOf(c, ctx, view.privateHosts),
    approvedDomains: approvedDomainsOf(c, ctx, approved, view.approvedDomains),
    csrfToken: session ? csrfToken(c.var.deps.config.secretKey, session.id) : null,
  };
}
