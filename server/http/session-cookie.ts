import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** `__Host-` needs Secure, which browsers only honour over https; plain-http boxes use a plain name. */
export function sessionCookieName(baseUrl: string): string {
  return baseUrl.startsWith("https:") ? "__Host-opsbox_session" : "opsbox_session";
}

export function readSessionCookie(c: Context, baseUrl: string): string | undefined {
  return getCookie(c, sessionCookieName(baseUrl));
}

export function writeSessionCookie(c: Context, baseUrl: string, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(baseUrl), token, {
    path: "/",
    httpOnly: true,
    secure: baseUrl.startsWith("https:"),
    sameSite: "Lax",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, baseUrl: string): void {
  deleteCookie(c, sessionCookieName(baseUrl), { path: "/", secure: baseUrl.startsWith("https:") });
}
