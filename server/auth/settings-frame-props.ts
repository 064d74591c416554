import type { Context } from "hono";
import type { OrganizationSwitcherProps } from "../../views/pages/settings/organization-switcher.tsx";
import { csrfToken } from "../http/csrf.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "./guard.ts";
import { listUserOrganizations } from "./roles.ts";

/** The plain-form CSRF token of the caller's session, or null without one. */
export function formToken(c: Context<AppEnv>): string | null {
  const session = c.var.auth?.session;
  return session ? csrfToken(c.var.deps.config.secretKey, session.id) : null;
}

/** The organisations a Settings page offers to switch between. */
export function organizationSwitcher(c: Context<AppEnv>): OrganizationSwitcherProps {
  const ctx = serviceContext(c);
  return {
    organizations: listUserOrganizations(ctx.db, ctx.userId).map(({ id, name }) => ({ id, name })),
    currentId: ctx.orgId,
    csrf: formToken(c),
  };
}
