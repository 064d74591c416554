import type { Context } from "hono";
import type { OrganizationSwitcherProps } from "../../views/pages/settings/organization-switcher.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";

/** The organisations a Settings page offers to switch between. */
export function organizationSwitcher(c: Context<AppEnv>): OrganizationSwitcherProps {
  const ctx = serviceContext(c);
  return {
    organizations: (c.var.accountMenu?.organizations() ?? []).map(({ id, name }) => ({ id, name })),
    currentId: ctx.orgId,
    csrf: formCsrf(c),
  };
}
