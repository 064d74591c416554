import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { Permission } from "../auth/roles/permissions.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { documented } from "./api-doc.ts";
import type { AppEnv } from "./env.ts";
import { AppError } from "./errors.ts";

/*
 * The route guards: they read only what authenticate() (server/auth/sessions/guard.ts) put on the
 * request, so every capability guards its routes without importing server/auth.
 */

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

/** 401/403 unless the caller holds at least one of `permissions` (the page has a part for each). */
export function requireAnyPermission(...permissions: Permission[]): MiddlewareHandler<AppEnv> {
  const signedIn = requireAuth();
  return createMiddleware<AppEnv>(async function requireAnyPermission(c, next) {
    await signedIn(c, async () => {
      if (!permissions.some((permission) => c.var.auth?.permissions.has(permission))) {
        throw new AppError("forbidden", "Your role does not allow this.");
      }
      await next();
    });
  });
}

/** Whether the caller is the box's instance admin, as requireInstanceAdmin() decides (for pages that show its forms). */
export function isInstanceAdmin(c: Context<AppEnv>): boolean {
  const auth = c.var.auth;
  // An API key of the instance admin counts only when it carries settings.manage.
  return Boolean(auth?.user.isInstanceAdmin && auth.permissions.has("settings.manage"));
}

/** Box-wide powers (adding organisations, allowing private outbound hosts): only the box's first admin. */
export function requireInstanceAdmin(): MiddlewareHandler<AppEnv> {
  const signedIn = requireAuth();
  return createMiddleware<AppEnv>(async function requireInstanceAdmin(c, next) {
    await signedIn(c, async () => {
      if (!isInstanceAdmin(c)) {
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
