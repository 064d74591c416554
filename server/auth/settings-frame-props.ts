import type { Context } from "hono";
import type { OrganizationSwitcherProps } from "../../views/pages/settings/organization-switcher.tsx";
import type { AppEnv } from "../http/env.ts";
import { formCsrf } from "./console-forms.ts";
import { serviceContext } from "./guard.ts";
import { visibleOrganizations } from "./sso-pinning.ts";

/** The organisations a Settings page offers to switch between. */
export function organizationSwitcher(c: Context<AppEnv>): OrganizationSwitcherProps {
  const ctx = serviceContext(c);
  return {
    organizations: c.var.auth ? visibleOrganizations(ctx.db, c.var.auth).map(({ id, name }) => ({ id, name })) : [],
    currentId: ctx.orgId,
    csrf: formCsrf(c),
  };
}
