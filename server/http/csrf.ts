import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { AppError } from "./errors.ts";
import { readSessionCookie } from "./session-cookie.ts";
import { isDocumentUpload } from "./upload-limit.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A per-session token for plain (non-htmx) forms: HMAC of the session id under the box's secret. */
export function csrfToken(secretKey: Uint8Array, sessionId: string): string {
  // Bun's native HMAC: every console page renders this token.
  const mac = new Bun.CryptoHasher("sha256", secretKey).update(`csrf:${sessionId}`).digest();
  return encodeBase64urlNoPadding(mac);
}

/**
 * State changes must come from this site: a cross-site `Origin` (or `Referer`) is refused, and
 * a request carrying the session cookie also needs a same-origin `Origin` and either the htmx
 * request header or the form's CSRF token. API-key requests carry no cookie authority.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async function csrf(c, next) {
    if (SAFE_METHODS.has(c.req.method) || c.req.header("Authorization")) return next();
    const { config } = c.var.deps;
    const allowed = new Set([new URL(config.baseUrl).origin, new URL(c.req.url).origin]);
    const origin = c.req.header("Origin") ?? originOf(c.req.header("Referer"));
    const token = readSessionCookie(c, config.baseUrl);
    // Browsers always say where a cross-site request comes from; scripts without a cookie
    // (curl against the API) carry no ambient authority and may omit it.
    if ((origin && !allowed.has(origin)) || (token && !origin)) {
      throw new AppError("forbidden", "This request came from another site and was refused.");
    }
    if (token && c.req.header("HX-Request") !== "true") {
      const sessionId = token.split(".")[0] ?? "";
      // An upload's body is not read here: it may be 50 MB, and the upload streams it to disk.
      const sent = c.req.header("X-CSRF-Token") ?? (isDocumentUpload(c) ? null : await formToken(c.req.raw.clone()));
      const expected = csrfToken(config.secretKey, sessionId);
      const encoder = new TextEncoder();
      if (
        !sent ||
        sent.length !== expected.length ||
        !constantTimeEqual(encoder.encode(sent), encoder.encode(expected))
      ) {
        throw new AppError("forbidden", "The form has expired. Reload the page and try again.");
      }
    }
    return next();
  };
}

function originOf(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

async function formToken(request: Request): Promise<string | null> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return null;
  try {
    const value = (await request.formData()).get("_csrf");
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
