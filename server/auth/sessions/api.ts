import { Hono } from "hono";
import { z } from "zod";
import { recordAudit } from "../../audit/service.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { clearSessionCookie, writeSessionCookie } from "../../http/session-cookie.ts";
import { validate } from "../../http/validate.ts";
import { findOrganizationPolicy } from "../organizations/org-policy.ts";
import { visibleOrganizations } from "../sso/sso-pinning.ts";
import { sessionPolicy } from "./guard.ts";
import { createSession, invalidateSession } from "./sessions.ts";
import { recordSignIn, verifyCredentials } from "./sign-in.ts";

export const loginInput = z.object({
  email: z.string().trim().min(1, "Enter your e-mail address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postAuthLogin: apiDoc({
    summary: "Sign in with e-mail and password (sets the session cookie)",
    tags: ["Authentication"],
  }),
  postAuthLogout: apiDoc({ summary: "Sign out: end this session", tags: ["Authentication"] }),
  getMe: apiDoc({ summary: "Who am I: person, organisation, role and permissions", tags: ["Account"] }),
};

/** Sign-in and sign-out for the API (the console's pages use the same services). */
export const authApi = new Hono<AppEnv>()
  .post("/auth/login", docs.postAuthLogin, validate("json", loginInput), async (c) => {
    const { db, config } = c.var.deps;
    const meta = {
      ipAddress: c.var.clientIp,
      userAgent: c.req.header("User-Agent") ?? null,
      requestId: c.var.requestId,
    };
    const result = await verifyCredentials(db, c.req.valid("json"), meta);
    if (!result.ok && result.reason === "locked") {
      throw new AppError("rate_limited", "Too many failed sign-ins. Try again later.", [], {
        "Retry-After": String(result.retryAfterSeconds),
      });
    }
    if (!result.ok) throw new AppError("unauthenticated", "The e-mail address or password is wrong.");
    // A new session at every sign-in: the one this client held before ends here.
    if (c.var.auth?.session) invalidateSession(db, c.var.auth.session.id);
    const { session, token } = createSession(db, {
      userId: result.user.id,
      orgId: result.orgId,
      twoFactorVerified: false,
      policy: sessionPolicy(findOrganizationPolicy(c.var.deps.db, result.orgId)),
      ipAddress: meta.ipAddress,
      userAgent: meta.userAgent,
    });
    writeSessionCookie(c, config.baseUrl, token, session.absoluteExpiresAt);
    const twoFactor = result.user.totpEnabledAt ? "required" : "not_enrolled";
    if (twoFactor !== "required") recordSignIn(db, result.user, result.orgId, meta, "password");
    return c.json({
      user: { id: result.user.id, email: result.user.email, name: result.user.name },
      organizationId: result.orgId,
      twoFactor,
      expiresAt: session.idleExpiresAt.toISOString(),
    });
  })
  .post("/auth/logout", docs.postAuthLogout, requireAuth({ allowPending: true }), (c) => {
    const { db, config } = c.var.deps;
    const auth = c.var.auth;
    if (!auth?.session) throw new AppError("bad_request", "API keys do not sign out; revoke the key instead.");
    invalidateSession(db, auth.session.id);
    clearSessionCookie(c, config.baseUrl);
    recordAudit(db, {
      orgId: auth.membership?.organization.id ?? null,
      action: "auth.sign_out",
      actorUserId: auth.user.id,
      meta: { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId },
    });
    return c.body(null, 204);
  })
  .get("/me", docs.getMe, requireAuth({ allowPending: true }), (c) => {
    const auth = c.var.auth;
    if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
    return c.json({
      id: auth.user.id,
      email: auth.user.email,
      name: auth.user.name,
      organization: auth.membership
        ? { id: auth.membership.organization.id, name: auth.membership.organization.name }
        : null,
      role: auth.membership?.role ?? null,
      permissions: [...auth.permissions].sort(),
      organizations: visibleOrganizations(c.var.deps.db, auth),
      twoFactorEnabled: auth.user.totpEnabledAt !== null,
      pending: auth.pending,
      via: auth.via,
    });
  });
