import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../http/env.ts";
import type { MailOAuthFlow } from "./connect.ts";

/** The flow as the browser carries it: who started it, in which organisation. */
export type StoredMailOAuthFlow = MailOAuthFlow & { userId: string; orgId: string };

const FLOW_MINUTES = 10;
const PATH = "/settings/mail-oauth/";
const cookieName = (baseUrl: string) =>
  baseUrl.startsWith("https:") ? "__Secure-opsbox_mail_oauth" : "opsbox_mail_oauth";

export function writeFlowCookie(c: Context<AppEnv>, flow: StoredMailOAuthFlow): void {
  const baseUrl = c.var.deps.config.baseUrl;
  setCookie(c, cookieName(baseUrl), Buffer.from(JSON.stringify(flow)).toString("base64url"), {
    path: PATH,
    httpOnly: true,
    secure: baseUrl.startsWith("https:"),
    // Lax: the provider brings the browser back with a top-level GET, which carries it.
    sameSite: "Lax",
    maxAge: FLOW_MINUTES * 60,
  });
}

/** The flow of this browser, spent on reading: a callback is answered once. */
export function takeFlowCookie(c: Context<AppEnv>): StoredMailOAuthFlow | null {
  const baseUrl = c.var.deps.config.baseUrl;
  const raw = getCookie(c, cookieName(baseUrl));
  deleteCookie(c, cookieName(baseUrl), { path: PATH, secure: baseUrl.startsWith("https:") });
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<StoredMailOAuthFlow>;
    const fields = [value.key, value.state, value.codeVerifier, value.userId, value.orgId];
    return fields.every((field) => typeof field === "string") ? (value as StoredMailOAuthFlow) : null;
  } catch {
    return null;
  }
}

export function sameState(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  return a.length === b.length && a.length > 0 && constantTimeEqual(encoder.encode(a), encoder.encode(b));
}
