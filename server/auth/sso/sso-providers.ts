import { and, asc, eq, gt } from "drizzle-orm";
import { customRoles, type SsoProvider, ssoProviders } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import { cursorKey, pageOf } from "../../http/cursor.ts";
import { AppError, type ErrorDetail, notFound } from "../../http/errors.ts";
import { newId } from "../../tools/ids.ts";
import { encryptSecret } from "../../tools/secrets.ts";
import { builtInRoles, type Permission, roleLabels } from "../roles/permissions.ts";
import { permissionsOfRole } from "../roles/roles.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { forgetOidcEndpoints } from "./oidc-discovery.ts";
import { approveRuleDomainsOfInstanceAdmin, type PublicDomainRule, withApproval } from "./sso-domains.ts";
import {
  type CreateSsoProviderInput,
  type DomainRule,
  GOOGLE_ISSUER,
  microsoftIssuer,
  type SsoKind,
  tenantOfIssuer,
  type UpdateSsoProviderInput,
} from "./sso-schemas.ts";

/** A provider as the API and console show it: never the client secret, not even encrypted. */
export type PublicSsoProvider = {
  id: string;
  kind: SsoKind;
  name: string;
  issuer: string;
  tenant: string | null;
  clientId: string;
  /** Each rule says whether it may make accounts, or waits for the instance admin to approve its domain. */
  domainRules: PublicDomainRule[];
  enabled: boolean;
  redirectUri: string;
  createdAt: string;
};

// People who join through a domain rule must not land with the keys to the box.
const ADMINISTRATIVE: Permission[] = ["users.manage", "roles.manage", "settings.manage", "api_keys.manage"];

export function ssoSecretContext(providerId: string): string {
  return `sso.client_secret:${providerId}`;
}

/** Where the provider sends people back: register exactly this at Google, Entra ID or Keycloak. */
export function ssoCallbackUrl(baseUrl: string, providerId: string): string {
  return `${baseUrl}/auth/sso/${providerId}/callback`;
}

/** `approvedDomains`: the provider organisation's, from findApprovedDomains. */
export function toPublicProvider(
  provider: SsoProvider,
  baseUrl: string,
  approvedDomains: readonly string[],
): PublicSsoProvider {
  return {
    id: provider.id,
    kind: provider.kind,
    name: provider.name,
    issuer: provider.issuer,
    tenant: provider.kind === "microsoft" ? tenantOfIssuer(provider.issuer) : null,
    clientId: provider.clientId,
    domainRules: withApproval(provider.domainRules, approvedDomains),
    enabled: provider.enabled,
    redirectUri: ssoCallbackUrl(baseUrl, provider.id),
    createdAt: provider.createdAt.toISOString(),
  };
}

/** The organisation's providers, oldest first, one page at a time. */
export function listSsoProviders(
  ctx: ServiceContext,
  query: { limit: number; cursor?: string },
): { data: SsoProvider[]; nextCursor: string | null } {
  const rows = ctx.db
    .select()
    .from(ssoProviders)
    .where(
      and(eq(ssoProviders.orgId, ctx.orgId), query.cursor ? gt(ssoProviders.id, cursorKey(query.cursor)) : undefined),
    )
    .orderBy(asc(ssoProviders.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** A provider of the caller's organisation; another organisation's is as absent as a missing one. */
export function findSsoProviderById(ctx: ServiceContext, id: string): SsoProvider | null {
  return (
    ctx.db
      .select()
      .from(ssoProviders)
      .where(and(eq(ssoProviders.id, id), eq(ssoProviders.orgId, ctx.orgId)))
      .get() ?? null
  );
}

/** The provider, or 404 "No such single sign-on provider." for unknown ids and other organisations' providers. */
export function ssoProviderOrNotFound(ctx: ServiceContext, id: string): SsoProvider {
  const provider = findSsoProviderById(ctx, id);
  if (!provider) throw notFound("single sign-on provider");
  return provider;
}

/**
 * Adds a provider; the client secret is stored encrypted under the provider's id. Its rules make
 * accounts only for domains the instance admin approved (at once when the instance admin adds it).
 */
export function createSsoProvider(ctx: ServiceContext, input: CreateSsoProviderInput): SsoProvider {
  assertDomainRules(ctx.db, ctx.orgId, input.domainRules);
  const id = newId("sso");
  const issuer =
    input.kind === "google" ? GOOGLE_ISSUER : input.kind === "microsoft" ? microsoftIssuer(input.tenant) : input.issuer;
  const provider = ctx.db
    .insert(ssoProviders)
    .values({
      id,
      orgId: ctx.orgId,
      kind: input.kind,
      name: input.name,
      issuer,
      clientId: input.clientId,
      clientSecretEncrypted: encryptSecret(ctx.keyring, input.clientSecret, ssoSecretContext(id)),
      domainRules: input.domainRules,
      enabled: input.enabled,
    })
    .returning()
    .get();
  audit(ctx, "sso_provider.created", provider, { name: provider.name, kind: provider.kind, issuer });
  approveRuleDomainsOfInstanceAdmin(ctx, provider.domainRules);
  return provider;
}

/** Changes what was sent; the secret only when a new one is given. */
export function updateSsoProvider(ctx: ServiceContext, id: string, input: UpdateSsoProviderInput): SsoProvider {
  const current = ssoProviderOrNotFound(ctx, id);
  const wrongKind: ErrorDetail[] = [];
  if (input.tenant !== undefined && current.kind !== "microsoft") {
    wrongKind.push({ path: "tenant", message: "only Microsoft Entra ID providers have a tenant" });
  }
  if (input.issuer !== undefined && current.kind !== "oidc") {
    wrongKind.push({ path: "issuer", message: "the issuer of Google and Microsoft providers is fixed" });
  }
  if (wrongKind.length > 0) throw new AppError("validation_failed", "The request is not valid.", wrongKind);
  if (input.domainRules) assertDomainRules(ctx.db, ctx.orgId, input.domainRules);
  if (Object.keys(input).length === 0) return current;

  const issuer = input.tenant !== undefined ? microsoftIssuer(input.tenant) : input.issuer;
  const provider = ctx.db
    .update(ssoProviders)
    .set({
      name: input.name,
      clientId: input.clientId,
      domainRules: input.domainRules,
      enabled: input.enabled,
      issuer,
      clientSecretEncrypted:
        input.clientSecret === undefined
          ? undefined
          : encryptSecret(ctx.keyring, input.clientSecret, ssoSecretContext(id)),
    })
    .where(and(eq(ssoProviders.id, id), eq(ssoProviders.orgId, ctx.orgId)))
    .returning()
    .get();
  if (!provider) throw notFound("single sign-on provider");
  // An admin who just fixed a provider expects the next sign-in to read its settings afresh.
  forgetOidcEndpoints();
  const changed = Object.keys(input).filter((key) => key !== "clientSecret");
  audit(ctx, "sso_provider.updated", provider, { changed, secretReplaced: input.clientSecret !== undefined });
  if (input.domainRules) approveRuleDomainsOfInstanceAdmin(ctx, input.domainRules);
  return provider;
}

/** Removes a provider and, with it, every link of a person to it (they keep their accounts). */
export function deleteSsoProvider(ctx: ServiceContext, id: string): void {
  const provider = ssoProviderOrNotFound(ctx, id);
  ctx.db
    .delete(ssoProviders)
    .where(and(eq(ssoProviders.id, id), eq(ssoProviders.orgId, ctx.orgId)))
    .run();
  audit(ctx, "sso_provider.deleted", provider, { name: provider.name, kind: provider.kind });
}

/** The enabled providers, for the sign-in page's "Sign in with …" buttons (linking to /auth/sso/:id/start). */
export function listSignInProviders(db: Db): { id: string; name: string; kind: SsoKind }[] {
  return db
    .select({ id: ssoProviders.id, name: ssoProviders.name, kind: ssoProviders.kind })
    .from(ssoProviders)
    .where(eq(ssoProviders.enabled, true))
    .orderBy(asc(ssoProviders.name))
    .all();
}

/** The roles a domain rule may give in an organisation: every role without administrative permissions. */
export function listDomainRuleRoles(db: Db, orgId: string): { role: string; label: string }[] {
  const custom = db
    .select({ role: customRoles.id, label: customRoles.name })
    .from(customRoles)
    .where(eq(customRoles.orgId, orgId))
    .orderBy(asc(customRoles.name))
    .all();
  return [...builtInRoles.map((role) => ({ role, label: roleLabels[role] })), ...custom].filter(({ role }) => {
    const found = permissionsOfRole(db, orgId, role);
    return found !== null && !ADMINISTRATIVE.some((permission) => found.permissions.has(permission));
  });
}

/** Every rule's role must exist in the organisation and must not be administrative (422 otherwise). */
function assertDomainRules(db: Db, orgId: string, rules: DomainRule[]): void {
  const details: ErrorDetail[] = [];
  rules.forEach((rule, index) => {
    const role = permissionsOfRole(db, orgId, rule.role);
    if (!role) {
      details.push({
        path: `domainRules.${index}.role`,
        message: `there is no role "${rule.role}" in this organisation`,
      });
    } else if (ADMINISTRATIVE.some((permission) => role.permissions.has(permission))) {
      details.push({
        path: `domainRules.${index}.role`,
        message: "a domain rule cannot give an administrative role; promote people by hand after they join",
      });
    }
  });
  if (details.length > 0) throw new AppError("validation_failed", "The request is not valid.", details);
}

function audit(ctx: ServiceContext, action: string, provider: SsoProvider, details: Record<string, unknown>): void {
  recordAudit(ctx.db, {
    orgId: ctx.orgId,
    action,
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    targetType: "sso_provider",
    targetId: provider.id,
    details,
    meta: ctx.meta,
  });
}
