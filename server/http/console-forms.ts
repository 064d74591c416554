import type { Context } from "hono";
import { csrfToken } from "./csrf.ts";
import type { AppEnv } from "./env.ts";
import { isHtmxRequest } from "./htmx.ts";
import { localPath } from "./local-path.ts";
import { readSessionCookie } from "./session-cookie.ts";

/** The form token for the session in this request's cookie, or null before sign-in. */
export function formCsrf(c: Context<AppEnv>): string | null {
  const { config } = c.var.deps;
  const token = readSessionCookie(c, config.baseUrl);
  return token ? csrfToken(config.secretKey, token.split(".")[0] ?? "") : null;
}

/** Same-site `next` targets only; a path to the sign-in pages themselves leads home instead. */
export function nextTarget(value: string | undefined): string {
  const path = localPath(value || "/");
  return path.startsWith("/sign-in") || path.startsWith("/sign-out") ? "/" : path;
}

/** A full-page redirect: HX-Redirect for htmx, 303 See Other for a plain form. */
export function redirectTo(c: Context<AppEnv>, location: string): Response {
  if (isHtmxRequest(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

export function withNext(path: string, next: string): string {
  return next === "/" ? path : `${path}?next=${encodeURIComponent(next)}`;
}
