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
  const csrf = csrfToken(secretKey, auth.session.id);
  return {
    name: auth.user.name,
    email: auth.user.email,
    csrf,
    organizations: (c as Context<AppEnv>).var.accountMenu?.organizations() ?? [],
    currentOrganizationId: auth.membership?.organization.id ?? null,
    showSettings: settingsPermissions.some((permission) => auth.permissions.has(permission)),
    showBroadcasts: auth.permissions.has("broadcasts.send"),
    invitations: (c as Context<AppEnv>).var.accountMenu?.pendingInvitations() ?? 0,
    notifications: notificationBellOf(c as Context<AppEnv>, csrf),
    healthAlert: healthAlertOf(c as Context<AppEnv>),
  };
}

/** The bell's props (set by notifications/bell.ts for a session in an organisation). */
function notificationBellOf(c: Context<AppEnv>, csrf: string): NonNullable<LayoutProps["user"]>["notifications"] {
  const bell = c.var.notificationBell?.();
  if (!bell) return null;
  return {
    unread: bell.unread,
    latest: bell.latest.map((item) => ({
      id: item.id,
      title: item.title,
      read: item.read,
      at: shortTime(item.createdAt),
    })),
    streamUrl: bell.live ? "/notifications/stream" : null,
    csrf,
  };
}

/** "2025-03-14 09:30": a UTC time as the console's lists show it. */
export function shortTime(at: Date): string {
  return at.toISOString().slice(0, 16).replace("T", " ");
}

/** The self-check's alert as the banner shows it (set for instance admins only, by ops/self-check). */
function healthAlertOf(c: Context<AppEnv>): NonNullable<LayoutProps["user"]>["healthAlert"] {
  const alert = c.var.healthAlert?.();
  if (!alert) return null;
  return { problems: alert.problems, since: alert.since.toISOString().slice(0, 16).replace("T", " ") };
}
