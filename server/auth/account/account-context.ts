import type { Context } from "hono";
import type { RequestMeta } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import type { Logger } from "../../http/logger.ts";
import { formatWait } from "../../http/rate-limit.ts";
import type { Keyring } from "../../tools/secrets.ts";
import type { Auth } from "../sessions/context.ts";
import { assertSpeaksForAccount } from "../sso/sso-pinning.ts";
import type { ProofFailure } from "./profile.ts";

/**
 * What the self-service account functions (password, 2FA, sessions) take first: the person
 * and the session acting, never anyone named in the request. The organisation may be null
 * (a person who belongs to none can still manage their own account).
 */
export type AccountContext = {
  db: Db;
  keyring: Keyring;
  log: Logger;
  userId: string;
  orgId: string | null;
  sessionId: string | null;
  /** The organisation whose single sign-on opened the session, or null after a password sign-in. */
  ssoOrgId?: string | null;
  meta: RequestMeta;
};

/**
 * The account context of a request signed in with a session; API keys cannot manage an
 * account, nor can a single sign-on session of an account that belongs to other organisations
 * too (403), except to finish its own sign-in (`signInStep`).
 */
export function accountContext(c: Context<AppEnv>, options: { signInStep?: boolean } = {}): AccountContext {
  const auth = sessionAuth(c);
  if (!options.signInStep) assertSpeaksForAccount(c.var.deps.db, auth);
  const { db, keyring, log } = c.var.deps;
  return {
    db,
    keyring,
    log: c.var.log ?? log,
    userId: auth.user.id,
    orgId: auth.membership?.organization.id ?? auth.session.orgId ?? null,
    sessionId: auth.session.id,
    ssoOrgId: auth.session.ssoOrgId,
    meta: { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId },
  };
}

/** The caller, who must be signed in with a session (not an API key). */
export function sessionAuth(c: Context<AppEnv>): Auth & { session: NonNullable<Auth["session"]> } {
  const auth = c.var.auth;
  if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!auth.session) {
    throw new AppError("forbidden", "Manage your password, 2FA and sessions while signed in, not with an API key.");
  }
  return { ...auth, session: auth.session };
}

/** A refused proof as an HTTP error: 429 with Retry-After when locked, else 422 on `field`. */
export function proofError(failure: ProofFailure, field: string, message: string): AppError {
  if (failure.reason === "locked") {
    return new AppError(
      "rate_limited",
      `Too many wrong tries. Try again in ${formatWait(failure.retryAfterSeconds)}.`,
      [],
      {
        "Retry-After": String(failure.retryAfterSeconds),
      },
    );
  }
  return new AppError("validation_failed", message, [{ path: field, message }]);
}
