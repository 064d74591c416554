import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { Db } from "../db.ts";
import { documented } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { clearSessionCookie, readSessionCookie } from "../http/session-cookie.ts";
import type { SecurityPolicy } from "../setup/presets.ts";
import { apiKeyIsCurrent, effectiveKeyPermissions, verifyApiKeyWithOwner } from "./api-keys.ts";
import { rememberedAuth } from "./auth-cache.ts";
import type { Auth, ServiceContext } from "./context.ts";
import { findOrganizationPolicy, twoFactorRequired } from "./org-policy.ts";
import type { Permission } from "./permissions.ts";
import { listUserOrganizations, resolveMembership } from "./roles.ts";
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

/** 401 without a caller; a session that still owes its second factor only reaches routes that allow it. */
export function requireAuth(options: { allowPending?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function requireAuth(c, next) {
    const auth = c.var.auth;
    if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
    if (auth.pending && !options.allowPending) {
      throw new AppError(
        "forbidden",
        auth.pending === "two_factor"
          ? "Finish signing in with your second factor first."
          : "Set up two-factor authentication before anything else.",
      );
    }
    await next();
  });
}

/** 401 without a caller, 403 without the permission in the current organisation. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  const signedIn = requireAuth();
  const middleware = createMiddleware<AppEnv>(async function requirePermission(c, next) {
    await signedIn(c, async () => {
      if (!c.var.auth?.permissions.has(permission)) {
        throw new AppError("forbidden", "Your role does not allow this.");
      }
      await next();
    });
  });
  return documented(middleware, { permission });
}

/** Box-wide powers (adding organisations, allowing private outbound hosts): only the box's first admin. */
export function requireInstanceAdmin(): MiddlewareHandler<AppEnv> {
  const signedIn = requireAuth();
  return createMiddleware<AppEnv>(async function requireInstanceAdmin(c, next) {
    await signedIn(c, async () => {
      // An API key of the instance admin counts only when it carries settings.manage.
      if (!c.var.auth?.user.isInstanceAdmin || !c.var.auth.permissions.has("settings.manage")) {
        throw new AppError("forbidden", "Only the box's instance admin may do this.");
      }
      await next();
    });
  });
}

/** The service context of an authenticated request with an organisation. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const auth = c.var.auth;
  const orgId = auth?.membership?.organization.id;
  if (!auth || !orgId) throw new AppError("forbidden", "You are not a member of any organisation.");
  const { db, log, keyring } = c.var.deps;
  return {
    db,
    log: c.var.log ?? log,
    keyring,
    orgId,
    userId: auth.user.id,
    apiKeyId: auth.apiKey?.id ?? null,
    permissions: auth.permissions,
    meta: { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId },
  };
}
