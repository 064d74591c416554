import { createMiddleware } from "hono/factory";
import type { AccountMenu, AppEnv } from "../../http/env.ts";
import { countMyInvitations } from "../people/membership-invitations.ts";
import { pinnedOrganizationId, visibleOrganizations } from "../sso/sso-pinning.ts";

/**
 * What the console's account menu and settings pages show about the signed-in person, read only
 * when a page asks (API requests and htmx fragments never do).
 */
export function accountMenu() {
  return createMiddleware<AppEnv>(async function accountMenu(c, next) {
    const auth = c.var.auth;
    if (auth) {
      const db = c.var.deps.db;
      const menu: AccountMenu = {
        organizations: () => visibleOrganizations(db, auth),
        pendingInvitations: () => (pinnedOrganizationId(auth) ? 0 : countMyInvitations(db, auth.user.id)),
      };
      c.set("accountMenu", menu);
    }
    await next();
  });
}
