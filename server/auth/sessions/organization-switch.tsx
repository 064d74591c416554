/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { notFound } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { switchOrganization } from "../organizations/organizations.ts";
import { switchOrganizationInput } from "../people/people-schemas.ts";

/** The path of a page of this site (the browser's current URL), or "/" for anything else. */
function samePagePath(url: string | undefined, origins: string[]): string {
  if (!url || !origins[0]) return "/";
  try {
    const parsed = new URL(url, origins[0]);
    return origins.includes(parsed.origin) ? parsed.pathname : "/";
  } catch {
    return "/";
  }
}

/** Moves the session into another organisation of the person, then back to the page they were on. */
export const organizationSwitch = new Hono<AppEnv>().post("/", requireAuth(), async (c) => {
  const parsed = switchOrganizationInput.safeParse({
    organizationId: (await readPostedForm(c)).text("organizationId"),
  });
  const auth = c.var.auth;
  if (!parsed.success || !auth?.session) throw notFound("organisation");
  switchOrganization(c.var.deps.db, {
    sessionId: auth.session.id,
    userId: auth.user.id,
    orgId: parsed.data.organizationId,
  });
  // Back to the same Settings section; a page about one row of the old organisation would be 404 now.
  const back = samePagePath(c.req.header("HX-Current-URL") ?? c.req.header("Referer"), [
    new URL(c.req.url).origin,
    new URL(c.var.deps.config.baseUrl).origin,
  ]);
  return redirectTo(c, /^\/settings\/[a-z-]+/.exec(back)?.[0] ?? "/");
});
