import { type Context, Hono } from "hono";
import type { RequestMeta } from "../../audit/service.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppDeps, AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { applyRateLimit, RateLimiter } from "../../http/rate-limit.ts";
import { validate } from "../../http/validate.ts";
import { confirmPasswordReset, requestPasswordResetLater } from "./password-reset.ts";
import { passwordResetConfirmInput, passwordResetRequestInput } from "./people-schemas.ts";

type ResetLimiters = {
  byAddress: RateLimiter;
  byEmailFromAddress: RateLimiter;
  mailsPerEmail: RateLimiter;
  confirm: RateLimiter;
};

// One set per running app, so that separate servers (tests) do not share counts.
const limiters = new WeakMap<AppDeps, ResetLimiters>();

/** The password reset rate limits, shared by the API and the console pages. */
export function resetLimiters(deps: AppDeps): ResetLimiters {
  let found = limiters.get(deps);
  if (!found) {
    found = {
      byAddress: new RateLimiter(20, 15 * 60_000),
      byEmailFromAddress: new RateLimiter(5, 15 * 60_000),
      mailsPerEmail: new RateLimiter(10, 15 * 60_000),
      confirm: new RateLimiter(20, 15 * 60_000),
    };
    limiters.set(deps, found);
  }
  return found;
}

/**
 * Counts one reset request against the client address and against the e-mail from that address
 * (429 past either), known or not: the answer must not differ. Returns whether to send the mail:
 * past the cap per e-mail from every address together, the request is answered the same (204)
 * and nothing is sent, so that strangers asking from many addresses flood no inbox and never
 * earn the person a 429 of their own.
 */
export function limitResetRequest(c: Context<AppEnv>, email: string): { send: boolean } {
  const limits = resetLimiters(c.var.deps);
  const normalized = email.trim().toLowerCase();
  applyRateLimit(c, limits.byAddress, `reset:${c.var.clientIp}`);
  applyRateLimit(c, limits.byEmailFromAddress, JSON.stringify(["reset", normalized, c.var.clientIp]));
  return { send: limits.mailsPerEmail.hit(`reset:${normalized}`).allowed };
}

export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId };
}

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postAuthPasswordReset: apiDoc({ summary: "Ask for a password reset e-mail", tags: ["Authentication"] }),
  postAuthPasswordResetConfirm: apiDoc({ summary: "Set a new password with a reset token", tags: ["Authentication"] }),
};

/** POST /auth/password-reset and /auth/password-reset/confirm: no sign-in, rate limited. */
export const passwordResetApi = new Hono<AppEnv>()
  .post("/", docs.postAuthPasswordReset, validate("json", passwordResetRequestInput), (c) => {
    const { email } = c.req.valid("json");
    const { send } = limitResetRequest(c, email);
    const { db, log, config } = c.var.deps;
    if (send) requestPasswordResetLater({ db, log, baseUrl: config.baseUrl }, email, requestMeta(c));
    // 204 even for unknown e-mails, so accounts cannot be enumerated.
    return c.body(null, 204);
  })
  .post("/confirm", docs.postAuthPasswordResetConfirm, validate("json", passwordResetConfirmInput), async (c) => {
    applyRateLimit(c, resetLimiters(c.var.deps).confirm, `reset-confirm:${c.var.clientIp}`);
    const result = await confirmPasswordReset(c.var.deps.db, c.req.valid("json"), requestMeta(c));
    if (!result.ok) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: result.field, message: result.message },
      ]);
    }
    return c.body(null, 204);
  });
