import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { SecurityPolicy } from "../../../models/security-policy.ts";
import type { Db } from "../../db.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { clearSessionCookie, readSessionCookie } from "../../http/session-cookie.ts";
import { apiKeyIsCurrent, effectiveKeyPermissions, verifyApiKeyWithOwner } from "../keys/api-keys.ts";
import { findOrganizationPolicy, twoFactorRequired } from "../organizations/org-policy.ts";
import { listUserOrganizations, resolveMembership } from "../roles/roles.ts";
import { rememberedAuth } from "./auth-cache.ts";
import type { Auth } from "./context.ts";
import { sessionIsCurrent, validateSessionToken } from "./sessions.ts";

/**
 * Resolves the caller from `Authorization: Bearer <api key>` or the session cookie, and sets
 * `auth` (null when anonymous). A bearer token that does not verify is 401 at once.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function authenticate(c, next) {
    c.set("auth", null);
    const { db, config } = c.var.deps;
    const header = c.req.header("Authorization");
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const auth = token ? rememberedAuth(db, `key:${token}`, apiKeyAuthIsCurrent, () => apiKeyAuth(db, token)) : null;
      if (!auth) throw new AppError("unauthenticated", "The API key is not valid, has expired or was revoked.");
      c.set("auth", auth);
      return next();
    }
    const token = readSessionCookie(c, config.baseUrl);
    if (token) {
      const auth = rememberedAuth(db, `session:${token}`, sessionAuthIsCurrent, () => {
        const validated = validateSessionToken(db, token, (orgId) => sessionPolicy(findOrganizationPolicy(db, orgId)));
        return validated ? sessionAuth(c, validated.session, validated.user) : null;
      });
      if (!auth) clearSessionCookie(c, config.baseUrl);
      else c.set("auth", auth);
    }
    return next();
  });
}

/** The caller behind a bearer token; null when the key does not verify, 401 when its owner lost access. */
function apiKeyAuth(db: Db, token: string): Auth | null {
  const verified = verifyApiKeyWithOwner(db, token);
  if (!verified) return null;
  const { key, owner: user } = verified;
  const membership = resolveMembership(db, key.userId, key.orgId);
  if (!membership) throw new AppError("unauthenticated", "The API key's owner no longer has access.");
  return {
    via: "api_key",
    user,
    membership,
    permissions: effectiveKeyPermissions(key, membership.permissions),
    session: null,
    apiKey: key,
    pending: null,
  };
}

const apiKeyAuthIsCurrent = (auth: Auth, now: number) => auth.apiKey !== null && apiKeyIsCurrent(auth.apiKey, now);
const sessionAuthIsCurrent = (auth: Auth, now: number) => auth.session !== null && sessionIsCurrent(auth.session, now);

function sessionAuth(c: Context<AppEnv>, session: NonNullable<Auth["session"]>, user: Auth["user"]): Auth {
  const db = c.var.deps.db;
  // A session opened through an organisation's single sign-on works in that organisation only.
  const orgId = session.ssoOrgId ?? session.orgId ?? listUserOrganizations(db, user.id)[0]?.id ?? null;
  const membership = orgId ? resolveMembership(db, user.id, orgId) : null;
  const policy = findOrganizationPolicy(c.var.deps.db, membership?.organization.id ?? null);
  let pending: Auth["pending"] = null;
  if (user.totpEnabledAt && !session.twoFactorVerified) pending = "two_factor";
  else if (!user.totpEnabledAt && twoFactorRequired(policy, membership?.role ?? null, user.isInstanceAdmin)) {
    pending = "two_factor_enrolment";
  }
  return {
    via: "session",
    user,
    membership,
    permissions: pending ? new Set() : (membership?.permissions ?? new Set()),
    session,
    apiKey: null,
    pending,
  };
}

export function sessionPolicy(policy: SecurityPolicy) {
  return {
    idleTimeoutMinutes: policy.sessionIdleTimeoutMinutes,
    absoluteLifetimeHours: policy.sessionAbsoluteLifetimeHours,
  };
}
