/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Layout, type LayoutProps } from "../../views/layout.tsx";
import type { Permission } from "../auth/roles/permissions.ts";
import { csrfToken } from "../http/csrf.ts";
import type { AppEnv } from "../http/env.ts";
import { isHtmxRequest } from "../http/htmx.ts";

/**
 * Answers a console page: the whole document on a full load, only the page's content when
 * htmx asked for it (one component serves both).
 */
export function renderPage(
  c: Context,
  page: Omit<LayoutProps, "children">,
  body: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  if (isHtmxRequest(c)) return c.html(html`${body}`, status);
  const user = page.user ?? (page.bare ? undefined : signedInUser(c));
  return c.html(
    html`<!doctype html>${(
      <Layout {...page} user={user}>
        {body}
      </Layout>
    )}`,
    status,
  );
}

const settingsPermissions: Permission[] = [
  "users.manage",
  "roles.manage",
  "api_keys.manage",
  "settings.manage",
  "audit.read",
];

/** The person behind a fully signed-in session, for the layout's account menu. */
function signedInUser(c: Context): LayoutProps["user"] {
  const auth = (c as Context<AppEnv>).var.auth;
  if (!auth?.session || auth.pending) return undefined;
  const { secretKey } = (c as Context<AppEnv>).var.deps.config;
  return {
    name: auth.user.name,
    email: auth.user.email,
    csrf: csrfToken(secretKey, auth.session.id),
    organizations: (c as Context<AppEnv>).var.accountMenu?.organizations() ?? [],
    currentOrganizationId: auth.membership?.organization.id ?? null,
    showSettings: settingsPermissions.some((permission) => auth.permissions.has(permission)),
    invitations: (c as Context<AppEnv>).var.accountMenu?.pendingInvitations() ?? 0,
    healthAlert: healthAlertOf(c as Context<AppEnv>),
  };
}

/** The self-check's alert as the banner shows it (set for instance admins only, by ops/self-check). */
function healthAlertOf(c: Context<AppEnv>): NonNullable<LayoutProps["user"]>["healthAlert"] {
  const alert = c.var.healthAlert?.();
  if (!alert) return null;
  return { problems: alert.problems, since: alert.since.toISOString().slice(0, 16).replace("T", " ") };
}
