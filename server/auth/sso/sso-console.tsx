/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { SsoSettingsPage } from "../../../views/pages/settings/sso.tsx";
import type { SsoFormErrors, SsoFormValues } from "../../../views/pages/settings/sso-form.tsx";
import { renderPage } from "../../console/render.tsx";
import { csrfToken } from "../../http/csrf.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../../http/guards.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { allowedPrivateHostsInput, findOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { isBuiltInRole } from "../roles/permissions.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { listPrivateHostLists, replacePrivateHosts } from "./private-hosts.ts";
import {
  emptySsoForm,
  parseDomainRuleLines,
  ssoFormErrorsOf,
  ssoFormValuesOf,
  ssoFormValuesOfProvider,
} from "./sso-console-form.ts";
import { findApprovedDomains, listApprovedDomainLists, replaceApprovedDomains } from "./sso-domains.ts";
import {
  createSsoProvider,
  deleteSsoProvider,
  findSsoProviderById,
  listDomainRuleRoles,
  listSsoProviders,
  ssoProviderOrNotFound,
  toPublicProvider,
  updateSsoProvider,
} from "./sso-providers.ts";
import {
  approvedDomainsInput,
  createSsoProviderInput,
  type DomainRule,
  updateSsoProviderInput,
} from "./sso-schemas.ts";

type Ctx = Context<AppEnv>;
type View = {
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
function privateHostsOf(c: Ctx, ctx: ServiceContext, refused: View["privateHosts"]) {
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
function approvedDomainsOf(c: Ctx, ctx: ServiceContext, approved: string[], refused: View["approvedDomains"]) {
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

function render(c: Ctx, view: View, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const baseUrl = c.var.deps.config.baseUrl;
  const approved = findApprovedDomains(ctx.db, ctx.orgId);
  const roles = listDomainRuleRoles(ctx.db, ctx.orgId);
  const editing = view.editingId ? findSsoProviderById(ctx, view.editingId) : null;
  if (view.editingId && !editing) throw notFound("single sign-on provider");
  const session = c.var.auth?.session;
  const body = (
    <SsoSettingsPage
      providers={listSsoProviders(ctx, { limit: 200 }).data.map((provider) =>
        toPublicProvider(provider, baseUrl, approved),
      )}
      editing={editing ? { id: editing.id, kind: editing.kind, name: editing.name } : null}
      values={view.values ?? (editing ? ssoFormValuesOfProvider(editing, roles) : emptySsoForm)}
      errors={view.errors ?? {}}
      roleNames={Object.fromEntries(
        roles.filter((role) => !isBuiltInRole(role.role)).map((role) => [role.role, role.label]),
      )}
      roleHints={roles.map((role) => (role.role === role.label ? role.label : `${role.role} (${role.label})`))}
      notice={view.notice ?? null}
      privateHosts={privateHostsOf(c, ctx, view.privateHosts)}
      approvedDomains={approvedDomainsOf(c, ctx, approved, view.approvedDomains)}
      csrfToken={session ? csrfToken(c.var.deps.config.secretKey, session.id) : null}
    />
  );
  return renderPage(c, { title: "Single sign-on", current: "/settings/users" }, body, status);
}

/** Form fields → the API's input: each kind sends only its own fields, so one schema validates both. */
function inputOf(ctx: ServiceContext, values: SsoFormValues, secret: string, editingKind: string | null) {
  const parsed = parseDomainRuleLines(values.domainRules, listDomainRuleRoles(ctx.db, ctx.orgId));
  const kind = editingKind ?? values.kind;
  const candidate: Record<string, unknown> = {
    name: values.name,
    clientId: values.clientId,
    domainRules: parsed.rules,
    enabled: values.enabled,
    ...(kind === "microsoft" ? { tenant: values.tenant } : {}),
    ...(kind === "oidc" ? { issuer: values.issuer } : {}),
    ...(secret || !editingKind ? { clientSecret: secret } : {}),
    ...(editingKind ? {} : { kind }),
  };
  return { candidate, lines: parsed.lines, lineError: parsed.error };
}

/** A list typed one name a line (or separated by spaces or commas); the error names the entry it is about. */
function parseList<T>(text: string, schema: z.ZodType<T[]>): { values: T[] } | { error: string } {
  const parsed = schema.safeParse(text.split(/[\s,]+/).filter(Boolean));
  if (parsed.success) return { values: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue?.path[0] !== undefined ? ` (line ${Number(issue.path[0]) + 1})` : "";
  return { error: `${issue?.message ?? "is not valid"}${at}` };
}

/** What the notice says of a saved provider's rules that wait for the instance admin. */
function waitingOf(ctx: ServiceContext, rules: DomainRule[]): string {
  const approved = findApprovedDomains(ctx.db, ctx.orgId);
  const waiting = rules.map((rule) => rule.domain).filter((domain) => !approved.includes(domain));
  if (waiting.length === 0) return "";
  return ` Its rules for ${waiting.join(", ")} make no accounts until the instance admin approves ${waiting.length === 1 ? "that domain" : "those domains"}.`;
}

async function formOf(c: Ctx) {
  const form = await readPostedForm(c);
  return { values: ssoFormValuesOf(form), secret: form.text("clientSecret").trim() };
}

/** Settings → Single sign-on: list, add, edit and remove providers; the instance admin also allows private hosts, per organisation. */
export const ssoConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => render(c, {}))
  .post("/", requirePermission("settings.manage"), async (c) => {
    const ctx = serviceContext(c);
    const { values, secret } = await formOf(c);
    const { candidate, lines, lineError } = inputOf(ctx, values, secret, null);
    if (lineError) return render(c, { values, errors: { domainRules: lineError } }, 422);
    const parsed = createSsoProviderInput.safeParse(candidate);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      return render(c, { values, errors: ssoFormErrorsOf(details, lines) }, 422);
    }
    try {
      const provider = createSsoProvider(ctx, parsed.data);
      return render(c, {
        notice: `${provider.name} was added. Register its redirect URI at the provider.${waitingOf(ctx, provider.domainRules)}`,
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
      return render(c, { values, errors: ssoFormErrorsOf(error.details, lines) }, 422);
    }
  })
  .get("/:id/edit", requirePermission("settings.manage"), (c) => render(c, { editingId: c.req.param("id") }))
  // Only the instance admin: allowing a private host lets requests made for that organisation
  // reach into the box's own network, which no organisation's admin may open for itself.
  .post("/private-hosts", requireInstanceAdmin(), async (c) => {
    const ctx = serviceContext(c);
    const form = await readPostedForm(c);
    const hosts = form.text("hosts");
    const scope = form.text("scope") || ctx.orgId;
    const parsed = parseList(hosts, allowedPrivateHostsInput);
    if ("error" in parsed) return render(c, { privateHosts: { scope, hosts, error: parsed.error } }, 422);
    const saved = replacePrivateHosts(ctx, scope === "box" ? "box" : { orgId: scope }, parsed.values);
    return render(c, {
      notice: saved.hosts.length
        ? `${saved.name} may reach: ${saved.hosts.join(", ")}.`
        : `${saved.name} may reach no host on a private network.`,
    });
  })
  // Only the instance admin: a domain rule makes accounts, with the organisation as their home,
  // for any address at its domain; only the box's owner may vouch that the organisation owns it.
  .post("/approved-domains", requireInstanceAdmin(), async (c) => {
    const ctx = serviceContext(c);
    const form = await readPostedForm(c);
    const domains = form.text("domains");
    const scope = form.text("scope") || ctx.orgId;
    const parsed = parseList(domains, approvedDomainsInput);
    if ("error" in parsed) return render(c, { approvedDomains: { scope, domains, error: parsed.error } }, 422);
    const saved = replaceApprovedDomains(ctx, scope, parsed.values);
    return render(c, {
      notice: saved.domains.length
        ? `${saved.name}'s domain rules may make accounts at: ${saved.domains.join(", ")}.`
        : `${saved.name}'s domain rules make no accounts: no domain is approved.`,
    });
  })
  .post("/:id", requirePermission("settings.manage"), async (c) => {
    const ctx = serviceContext(c);
    const current = ssoProviderOrNotFound(ctx, c.req.param("id"));
    const { values, secret } = await formOf(c);
    const view = { values: { ...values, kind: current.kind }, editingId: current.id };
    const { candidate, lines, lineError } = inputOf(ctx, values, secret, current.kind);
    if (lineError) return render(c, { ...view, errors: { domainRules: lineError } }, 422);
    const parsed = updateSsoProviderInput.safeParse(candidate);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      return render(c, { ...view, errors: ssoFormErrorsOf(details, lines) }, 422);
    }
    try {
      const provider = updateSsoProvider(ctx, current.id, parsed.data);
      return render(c, { notice: `${provider.name} was saved.${waitingOf(ctx, provider.domainRules)}` });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
      return render(c, { ...view, errors: ssoFormErrorsOf(error.details, lines) }, 422);
    }
  })
  .post("/:id/delete", requirePermission("settings.manage"), (c) => {
    const ctx = serviceContext(c);
    const provider = ssoProviderOrNotFound(ctx, c.req.param("id"));
    deleteSsoProvider(ctx, provider.id);
    return render(c, { notice: `${provider.name} was removed.` });
  });
