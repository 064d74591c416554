/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { SsoSettingsPage } from "../../../views/pages/settings/sso.tsx";
import type { SsoFormErrors, SsoFormValues } from "../../../views/pages/settings/sso-form.tsx";
import { renderPage } from "../../console/render.tsx";
import type { AppEnv } from "../../http/env.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { allowedPrivateHostsInput } from "../../outbound/outbound-hosts.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { ssoSettingsProps, type View } from "./console-props.ts";
import { replacePrivateHosts } from "./private-hosts.ts";
import { parseDomainRuleLines, ssoFormErrorsOf, ssoFormValuesOf } from "./sso-console-form.ts";
import { findApprovedDomains, replaceApprovedDomains } from "./sso-domains.ts";
import {
  createSsoProvider,
  deleteSsoProvider,
  findSsoProviderById,
  listDomainRuleRoles,
  ssoProviderOrNotFound,
  updateSsoProvider,
} from "./sso-providers.ts";
import {
  approvedDomainsInput,
  createSsoProviderInput,
  type DomainRule,
  updateSsoProviderInput,
} from "./sso-schemas.ts";

type Ctx = Context<AppEnv>;

function render(c: Ctx, view: View, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const editing = view.editingId ? findSsoProviderById(ctx, view.editingId) : null;
  if (view.editingId && !editing) throw notFound("single sign-on provider");
  const body = <SsoSettingsPage {...ssoSettingsProps(c, view, editing)} />;
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

/** A list typed one name a line (or separated by spaces or commas); its error names the entry it is about. */
function listForm(field: "hosts" | "domains", refusedView: (scope: string, text: string, error: string) => View) {
  const spec: FormSpec<{ scope: string; text: string }> = {
    values: (form, c) => ({ scope: form.text("scope") || serviceContext(c).orgId, text: form.text(field) }),
    input: ({ text }) => text.split(/[\s,]+/).filter(Boolean),
    fields: ([detail]) => {
      const index = detail?.path.split(".")[0];
      const at = index ? ` (line ${Number(index) + 1})` : "";
      return { [field]: `${detail?.message ?? "is not valid"}${at}` };
    },
    invalid: (c, { scope, text }, { errors, status }) =>
      render(c, refusedView(scope, text, errors[field] ?? ""), status),
  };
  return spec;
}

const privateHostsForm = listForm("hosts", (scope, hosts, error) => ({ privateHosts: { scope, hosts, error } }));
const approvedDomainsForm = listForm("domains", (scope, domains, error) => ({
  approvedDomains: { scope, domains, error },
}));

/** What the notice says of a saved provider's rules that wait for the instance admin. */
function waitingOf(ctx: ServiceContext, rules: DomainRule[]): string {
  const approved = findApprovedDomains(ctx.db, ctx.orgId);
  const waiting = rules.map((rule) => rule.domain).filter((domain) => !approved.includes(domain));
  if (waiting.length === 0) return "";
  return ` Its rules for ${waiting.join(", ")} make no accounts until the instance admin approves ${waiting.length === 1 ? "that domain" : "those domains"}.`;
}

/** The provider form as typed, the provider being edited (404 when it is gone), and its input for the API. */
type PostedProvider = {
  values: SsoFormValues;
  editingId: string | undefined;
  candidate: Record<string, unknown>;
  lines: number[];
  lineError: string | null;
};

const providerForm: FormSpec<PostedProvider> = {
  values: (form, c) => {
    const ctx = serviceContext(c);
    const id = c.req.param("id");
    const current = id === undefined ? null : findSsoProviderById(ctx, id);
    if (id !== undefined && !current) throw new AppError("not_found", "No such single sign-on provider.");
    const values = ssoFormValuesOf(form);
    const secret = form.text("clientSecret").trim();
    const { candidate, lines, lineError } = inputOf(ctx, values, secret, current?.kind ?? null);
    return {
      values: current ? { ...values, kind: current.kind } : values,
      editingId: current?.id,
      candidate,
      lines,
      lineError,
    };
  },
  input: (posted) => posted.candidate,
  check: (posted): SsoFormErrors => (posted.lineError ? { domainRules: posted.lineError } : {}),
  fields: (details, posted) => ssoFormErrorsOf(details, posted.lines),
  invalid: (c, { values, editingId }, { errors, status }) =>
    render(c, { values, errors, ...(editingId ? { editingId } : {}) }, status),
  refusal: (error, posted) => {
    if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    return { errors: ssoFormErrorsOf(error.details, posted.lines), status: 422 };
  },
};

/** Settings → Single sign-on: list, add, edit and remove providers; the instance admin also allows private hosts, per organisation. */
export const ssoConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => render(c, {}))
  .post("/", requirePermission("settings.manage"), validateForm(createSsoProviderInput, providerForm), (c) => {
    const ctx = serviceContext(c);
    const { input, refused } = c.req.valid("form");
    try {
      const provider = createSsoProvider(ctx, input);
      return render(c, {
        notice: `${provider.name} was added. Register its redirect URI at the provider.${waitingOf(ctx, provider.domainRules)}`,
      });
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id/edit", requirePermission("settings.manage"), (c) => render(c, { editingId: c.req.param("id") }))
  // Only the instance admin: allowing a private host lets requests made for that organisation
  // reach into the box's own network, which no organisation's admin may open for itself.
  .post("/private-hosts", requireInstanceAdmin(), validateForm(allowedPrivateHostsInput, privateHostsForm), (c) => {
    const { input, values } = c.req.valid("form");
    const saved = replacePrivateHosts(
      serviceContext(c),
      values.scope === "box" ? "box" : { orgId: values.scope },
      input,
    );
    return render(c, {
      notice: saved.hosts.length
        ? `${saved.name} may reach: ${saved.hosts.join(", ")}.`
        : `${saved.name} may reach no host on a private network.`,
    });
  })
  // Only the instance admin: a domain rule makes accounts, with the organisation as their home,
  // for any address at its domain; only the box's owner may vouch that the organisation owns it.
  .post("/approved-domains", requireInstanceAdmin(), validateForm(approvedDomainsInput, approvedDomainsForm), (c) => {
    const { input, values } = c.req.valid("form");
    const saved = replaceApprovedDomains(serviceContext(c), values.scope, input);
    return render(c, {
      notice: saved.domains.length
        ? `${saved.name}'s domain rules may make accounts at: ${saved.domains.join(", ")}.`
        : `${saved.name}'s domain rules make no accounts: no domain is approved.`,
    });
  })
  .post("/:id", requirePermission("settings.manage"), validateForm(updateSsoProviderInput, providerForm), (c) => {
    const ctx = serviceContext(c);
    const { input, refused } = c.req.valid("form");
    try {
      const provider = updateSsoProvider(ctx, c.req.param("id"), input);
      return render(c, { notice: `${provider.name} was saved.${waitingOf(ctx, provider.domainRules)}` });
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/delete", requirePermission("settings.manage"), (c) => {
    const ctx = serviceContext(c);
    const provider = ssoProviderOrNotFound(ctx, c.req.param("id"));
    deleteSsoProvider(ctx, provider.id);
    return render(c, { notice: `${provider.name} was removed.` });
  });
