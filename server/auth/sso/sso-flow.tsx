/** @jsxImportSource hono/jsx */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { organizations, type SsoProvider, type User } from "../../../models/identity.ts";
import { SsoRefusedPage } from "../../../views/pages/auth/sso-refused.tsx";
import { recordAudit } from "../../audit/service.ts";
import { renderPage } from "../../console/render.tsx";
import { nextTarget, withNext } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { RateLimiter, rateLimit } from "../../http/rate-limit.ts";
import { writeSessionCookie } from "../../http/session-cookie.ts";
import { findOrganizationPrivateHosts } from "../../outbound/outbound-hosts.ts";
import { findOrganizationPolicy, twoFactorRequired } from "../organizations/org-policy.ts";
import { resolveMembership } from "../roles/roles.ts";
import { sessionPolicy } from "../sessions/guard.ts";
import { createSession, invalidateSession } from "../sessions/sessions.ts";
import { recordSignIn } from "../sessions/sign-in.ts";
import { resolveSsoAccount } from "./sso-accounts.ts";
import {
  beginSsoSignIn,
  findEnabledSsoProvider,
  finishSsoSignIn,
  type SsoFlow,
  SsoSignInError,
} from "./sso-sign-in.ts";

type Ctx = Context<AppEnv>;
type StoredFlow = SsoFlow & { providerId: string; next: string };

// Each start may cost a discovery request and each callback a token exchange: cap both per address,
// loosely, since a whole office signing in at nine shares one.
const limiter = new RateLimiter(120, 60_000);
const FLOW_MINUTES = 10;

function flowCookieName(baseUrl: string): string {
  return baseUrl.startsWith("https:") ? "__Secure-opsbox_sso_flow" : "opsbox_sso_flow";
}

function requestMeta(c: Ctx) {
  return { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId };
}

/** The provider's organisation's own allow-list: a host allowed for another organisation stays out of reach. */
function optionsOf(c: Ctx, provider: SsoProvider) {
  const { db, config } = c.var.deps;
  return { baseUrl: config.baseUrl, allowedPrivateHosts: findOrganizationPrivateHosts(db, provider.orgId) };
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const IPV6 = /\[?(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?/gi;

/**
 * What a visitor may read of why the provider could not be reached. The reason names hosts and
 * what they resolve to: the instance admin sees it whole; an admin of the provider's organisation
 * sees it without addresses (the box's network is not theirs to map); anyone else, who may be
 * anonymous, a plain sentence. The log keeps the whole reason either way.
 */
function unreachableMessage(c: Ctx, provider: SsoProvider, reason: string): string {
  const auth = c.var.auth;
  const signedIn = auth !== null && auth.pending === null && auth.session !== null;
  if (signedIn && auth.user.isInstanceAdmin) return reason;
  const orgAdmin =
    signedIn && auth.membership?.organization.id === provider.orgId && auth.permissions.has("settings.manage");
  if (orgAdmin) {
    const scrubbed = reason.replace(IPV4, "(address hidden)").replace(IPV6, "(address hidden)");
    return `${scrubbed} Only the box's instance admin can allow a host on a private network for this organisation.`;
  }
  return `Opsbox could not reach ${provider.name} just now. Try again later, or sign in another way; if it keeps failing, tell your organisation's admin.`;
}

function providerOf(c: Ctx): SsoProvider {
  const provider = findEnabledSsoProvider(c.var.deps.db, c.req.param("providerId") ?? "");
  if (!provider) throw new AppError("not_found", "There is no such single sign-on provider, or it is switched off.");
  return provider;
}

function refusedPage(c: Ctx, status: ContentfulStatusCode, title: string, message: string, retryHref: string | null) {
  const body = (
    <SsoRefusedPage status={status} title={title} message={message} retryHref={retryHref} requestId={c.var.requestId} />
  );
  return renderPage(c, { title, bare: true }, body, status);
}

function readFlow(c: Ctx): StoredFlow | null {
  const raw = getCookie(c, flowCookieName(c.var.deps.config.baseUrl));
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<StoredFlow>;
    const fields = [value.providerId, value.state, value.codeVerifier, value.nonce, value.next];
    return fields.every((field) => typeof field === "string") ? (value as StoredFlow) : null;
  } catch {
    return null;
  }
}

function sameText(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  return a.length === b.length && constantTimeEqual(encoder.encode(a), encoder.encode(b));
}

/**
 * A fresh session in the provider's organisation; answers where to go next. The provider is
 * the first factor only: whoever has 2FA, or must have it, goes through Opsbox's own step.
 */
function openSession(c: Ctx, provider: SsoProvider, user: User, next: string): string {
  const { db, config } = c.var.deps;
  const meta = requestMeta(c);
  if (c.var.auth?.session) invalidateSession(db, c.var.auth.session.id);
  const policy = findOrganizationPolicy(c.var.deps.db, provider.orgId);
  const { session, token } = createSession(db, {
    userId: user.id,
    orgId: provider.orgId,
    ssoOrgId: provider.orgId,
    twoFactorVerified: false,
    policy: sessionPolicy(policy),
    ipAddress: meta.ipAddress,
    userAgent: meta.userAgent,
  });
  writeSessionCookie(c, config.baseUrl, token, session.absoluteExpiresAt);
  if (user.totpEnabledAt) return withNext("/sign-in/two-factor", next);
  recordSignIn(db, user, provider.orgId, meta, `sso:${provider.kind}`);
  const role = resolveMembership(db, user.id, provider.orgId)?.role ?? null;
  if (twoFactorRequired(policy, role, user.isInstanceAdmin)) return withNext("/account/two-factor/setup", next);
  return next;
}

/** GET /auth/sso/:id/start and /callback: the browser's round trip through the provider. */
export const ssoFlowRoutes = new Hono<AppEnv>()
  .use(
    "/*",
    rateLimit(limiter, (c) => `sso:${(c as Ctx).var.clientIp}`),
  )
  .get("/:providerId/start", async (c) => {
    const provider = providerOf(c);
    let begun: Awaited<ReturnType<typeof beginSsoSignIn>>;
    try {
      begun = await beginSsoSignIn(provider, optionsOf(c, provider));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "unavailable") throw error;
      c.var.log.warn({ providerId: provider.id, reason: error.message }, "single sign-on discovery failed");
      const message = unreachableMessage(c, provider, error.message);
      return refusedPage(c, 503, `${provider.name} cannot be reached`, message, c.req.path);
    }
    const { url, flow } = begun;
    const stored: StoredFlow = { ...flow, providerId: provider.id, next: nextTarget(c.req.query("next")) };
    const baseUrl = c.var.deps.config.baseUrl;
    setCookie(c, flowCookieName(baseUrl), Buffer.from(JSON.stringify(stored)).toString("base64url"), {
      path: "/auth/sso/",
      httpOnly: true,
      secure: baseUrl.startsWith("https:"),
      // Lax: the provider brings the browser back with a top-level GET, which carries it.
      sameSite: "Lax",
      maxAge: FLOW_MINUTES * 60,
    });
    return c.redirect(url.href, 302);
  })
  .get("/:providerId/callback", async (c) => {
    const provider = providerOf(c);
    const { db, config, keyring } = c.var.deps;
    const meta = requestMeta(c);
    const retry = `/auth/sso/${provider.id}/start`;
    const flow = readFlow(c);
    // One use only: whatever happens next, this flow is spent.
    deleteCookie(c, flowCookieName(config.baseUrl), {
      path: "/auth/sso/",
      secure: config.baseUrl.startsWith("https:"),
    });
    const refuse = (status: ContentfulStatusCode, reason: string, title: string, message: string) => {
      recordAudit(db, {
        orgId: provider.orgId,
        action: "auth.sso_refused",
        targetType: "sso_provider",
        targetId: provider.id,
        details: { reason, provider: provider.name },
        meta,
      });
      return refusedPage(c, status, title, message, retry);
    };

    const state = c.req.query("state") ?? "";
    if (!flow || flow.providerId !== provider.id || !state || !sameText(state, flow.state)) {
      return refuse(
        403,
        "state_mismatch",
        "This sign-in could not be verified",
        "The answer from the provider does not belong to a sign-in started in this browser, or it took longer " +
          `than ${FLOW_MINUTES} minutes. Start again.`,
      );
    }
    const providerError = c.req.query("error");
    if (providerError) {
      const said = providerError.replace(/[^\w.-]/g, "").slice(0, 60);
      return refuse(
        403,
        "provider_error",
        "The sign-in was cancelled",
        `${provider.name} ended the sign-in (${said}).`,
      );
    }
    // RFC 9207: a provider that names itself must name the one this sign-in went to (mix-up attacks).
    const iss = c.req.query("iss");
    if (iss !== undefined && provider.kind !== "microsoft" && iss !== provider.issuer) {
      return refuse(
        403,
        "issuer_mismatch",
        "This sign-in could not be verified",
        "The answer came from another provider.",
      );
    }
    const code = c.req.query("code");
    if (!code || code.length > 2048) {
      return refuse(
        400,
        "no_code",
        "The sign-in could not be completed",
        `${provider.name} sent no authorisation code.`,
      );
    }

    let identity: Awaited<ReturnType<typeof finishSsoSignIn>>;
    try {
      identity = await finishSsoSignIn(keyring, provider, { code, flow }, optionsOf(c, provider));
    } catch (error) {
      const unreachable =
        (error instanceof SsoSignInError && error.reason === "provider_unavailable") ||
        (error instanceof AppError && error.code === "unavailable");
      if (unreachable && error instanceof Error) {
        c.var.log.warn({ providerId: provider.id, reason: error.message }, "single sign-on provider unreachable");
        const message = unreachableMessage(c, provider, error.message);
        return refuse(503, "provider_unavailable", "The sign-in could not be completed", message);
      }
      if (error instanceof SsoSignInError) {
        return refuse(403, error.reason, "The sign-in could not be completed", error.message);
      }
      throw error;
    }

    const organization = db.select().from(organizations).where(eq(organizations.id, provider.orgId)).get();
    const result = resolveSsoAccount(db, provider, identity, meta, organization?.name ?? "this organisation");
    if (!result.ok) return refusedPage(c, 403, "You cannot sign in this way", result.message, null);

    return c.redirect(openSession(c, provider, result.user, flow.next), 303);
  });
