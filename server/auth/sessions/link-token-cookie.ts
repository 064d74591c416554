import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../http/env.ts";

// Long enough to choose a password; clicking the e-mailed link again starts over.
const MAX_AGE_SECONDS = 30 * 60;

export type LinkTokenCookie = { name: string; path: string };

export const resetTokenCookie: LinkTokenCookie = { name: "opsbox_reset", path: "/reset-password" };
export const invitationTokenCookie: LinkTokenCookie = { name: "opsbox_invitation", path: "/invitations/accept" };
export const joinTokenCookie: LinkTokenCookie = { name: "opsbox_join", path: "/invitations/join" };

/**
 * An e-mailed link carries its token in the query string; the first GET moves it into an
 * HttpOnly cookie (sent only to that page) and redirects to the bare path, so that the token
 * leaves the address bar, the history and any Referer. Null when there is no token to move.
 */
export function stashLinkToken(c: Context<AppEnv>, cookie: LinkTokenCookie): Response | null {
  const token = c.req.query("token");
  if (!token) return null;
  setCookie(c, cookie.name, token.slice(0, 128), {
    path: cookie.path,
    httpOnly: true,
    secure: c.var.deps.config.baseUrl.startsWith("https:"),
    // Lax, not Strict: the link is opened from a mail client, another site.
    sameSite: "Lax",
    maxAge: MAX_AGE_SECONDS,
  });
  c.header("Cache-Control", "no-store");
  return c.redirect(cookie.path, 303);
}

export function readLinkToken(c: Context<AppEnv>, cookie: LinkTokenCookie): string | null {
  return getCookie(c, cookie.name) ?? null;
}

export function clearLinkToken(c: Context<AppEnv>, cookie: LinkTokenCookie): void {
  deleteCookie(c, cookie.name, { path: cookie.path, secure: c.var.deps.config.baseUrl.startsWith("https:") });
}
