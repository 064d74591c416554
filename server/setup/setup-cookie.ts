import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../http/env.ts";

const COOKIE = "opsbox_setup";
const MAX_AGE_SECONDS = 60 * 60;

/** What the setup cookie carries: this browser's draft and the setup token it proved. */
export type SetupCookie = { draftId: string; token: string };

/**
 * The setup token moves from the link into this cookie so that it leaves the address bar:
 * HttpOnly, SameSite=Strict, only sent to /setup, an hour from the last step.
 */
export function writeSetupCookie(c: Context<AppEnv>, value: SetupCookie): void {
  setCookie(c, COOKIE, `${value.draftId}.${value.token}`, {
    path: "/setup",
    httpOnly: true,
    secure: c.var.deps.config.baseUrl.startsWith("https:"),
    sameSite: "Strict",
    maxAge: MAX_AGE_SECONDS,
  });
}

export function readSetupCookie(c: Context<AppEnv>): SetupCookie | null {
  const [draftId, token, extra] = (getCookie(c, COOKIE) ?? "").split(".");
  if (!draftId || !token || extra !== undefined) return null;
  return { draftId, token };
}

export function clearSetupCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { path: "/setup", secure: c.var.deps.config.baseUrl.startsWith("https:") });
}
