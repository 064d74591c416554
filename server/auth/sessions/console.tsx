/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { Hono } from "hono";
import { SignInPage, type SignInPageProps } from "../../../views/pages/auth/sign-in.tsx";
import {
  TwoFactorChallengePage,
  type TwoFactorChallengePageProps,
} from "../../../views/pages/auth/two-factor-challenge.tsx";
import { recordAudit } from "../../audit/service.ts";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, nextTarget, redirectTo, withNext } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { formatWait } from "../../http/rate-limit.ts";
import { clearSessionCookie, writeSessionCookie } from "../../http/session-cookie.ts";
import { readPostedForm, refusalFromZod } from "../../http/validate-form.ts";
import { accountContext } from "../account/account-context.ts";
import { findOrganizationPolicy, twoFactorRequired } from "../organizations/org-policy.ts";
import { resolveMembership } from "../roles/roles.ts";
import { listSignInProviders } from "../sso/sso-providers.ts";
import { verifySecondFactor } from "../two-factor/two-factor.ts";
import { loginInput } from "./api.ts";
import { sessionPolicy } from "./guard.ts";
import { createSession, invalidateSession, markSessionTwoFactorVerified } from "./sessions.ts";
import { recordSignIn, verifyCredentials } from "./sign-in.ts";

type Ctx = Context<AppEnv>;

function requestMeta(c: Ctx) {
  return { ipAddress: c.var.clientIp, userAgent: c.req.header("User-Agent") ?? null, requestId: c.var.requestId };
}

function signInPage(c: Ctx, props: Omit<SignInPageProps, "csrf">, status: 200 | 422 | 429 = 200) {
  const providers = listSignInProviders(c.var.deps.db);
  return renderPage(
    c,
    { title: "Sign in", bare: true },
    <SignInPage {...props} csrf={formCsrf(c)} providers={providers} />,
    status,
  );
}

function challengePage(c: Ctx, props: Omit<TwoFactorChallengePageProps, "csrf">, status: 200 | 422 | 429 = 200) {
  const body = <TwoFactorChallengePage {...props} csrf={formCsrf(c)} />;
  return renderPage(c, { title: "Two-factor authentication", bare: true }, body, status);
}

/** Where a session that still owes something must go first, or null when it owes nothing. */
function pendingStep(c: Ctx, next: string): string | null {
  const pending = c.var.auth?.pending;
  if (pending === "two_factor") return withNext("/sign-in/two-factor", next);
  if (pending === "two_factor_enrolment") return withNext("/account/two-factor/setup", next);
  return null;
}

export const signInConsole = new Hono<AppEnv>()
  .get("/sign-in", (c) => {
    const next = nextTarget(c.req.query("next"));
    if (c.var.auth && !c.var.auth.pending) return c.redirect(next, 303);
    return signInPage(c, { email: "", next });
  })
  .post("/sign-in", async (c) => {
    const form = await readPostedForm(c);
    const next = nextTarget(form.text("next"));
    const email = form.text("email").trim();
    const parsed = loginInput.safeParse({ email, password: form.text("password") });
    if (!parsed.success) return signInPage(c, { email, next, errors: refusalFromZod(parsed.error).errors }, 422);
    const { db, config } = c.var.deps;
    const meta = requestMeta(c);
    const result = await verifyCredentials(db, parsed.data, meta);
    if (!result.ok && result.reason === "locked") {
      c.header("Retry-After", String(result.retryAfterSeconds));
      const error = `Too many failed sign-ins. Try again in ${formatWait(result.retryAfterSeconds)}.`;
      return signInPage(c, { email, next, error }, 429);
    }
    // One message for an unknown e-mail and a wrong password, so accounts cannot be enumerated.
    if (!result.ok) return signInPage(c, { email, next, error: "The e-mail address or password is wrong." }, 422);

    // A new session at every sign-in: whatever session this browser had before ends here.
    if (c.var.auth?.session) invalidateSession(db, c.var.auth.session.id);
    const { user, orgId } = result;
    const { session, token } = createSession(db, {
      userId: user.id,
      orgId,
      twoFactorVerified: false,
      policy: sessionPolicy(findOrganizationPolicy(c.var.deps.db, orgId)),
      ipAddress: meta.ipAddress,
      userAgent: meta.userAgent,
    });
    writeSessionCookie(c, config.baseUrl, token, session.absoluteExpiresAt);
    if (user.totpEnabledAt) return redirectTo(c, withNext("/sign-in/two-factor", next));
    recordSignIn(db, user, orgId, meta, "password");
    const role = orgId ? (resolveMembership(db, user.id, orgId)?.role ?? null) : null;
    if (twoFactorRequired(findOrganizationPolicy(c.var.deps.db, orgId), role, user.isInstanceAdmin)) {
      return redirectTo(c, withNext("/account/two-factor/setup", next));
    }
    return redirectTo(c, next);
  })
  .post("/sign-out", (c) => {
    const { db, config } = c.var.deps;
    const auth = c.var.auth;
    if (auth?.session) {
      invalidateSession(db, auth.session.id);
      recordAudit(db, {
        orgId: auth.membership?.organization.id ?? null,
        action: "auth.sign_out",
        actorUserId: auth.user.id,
        meta: requestMeta(c),
      });
    }
    clearSessionCookie(c, config.baseUrl);
    return redirectTo(c, "/sign-in");
  })
  .get("/sign-in/two-factor", (c) => {
    const next = nextTarget(c.req.query("next"));
    if (!c.var.auth?.session) return c.redirect(withNext("/sign-in", next), 303);
    if (c.var.auth.pending !== "two_factor") return c.redirect(pendingStep(c, next) ?? next, 303);
    return challengePage(c, { next });
  })
  .post("/sign-in/two-factor", async (c) => {
    const form = await readPostedForm(c);
    const next = nextTarget(form.text("next"));
    const auth = c.var.auth;
    if (!auth?.session) return redirectTo(c, withNext("/sign-in", next));
    if (auth.pending !== "two_factor") return redirectTo(c, pendingStep(c, next) ?? next);
    const code = form.text("code").trim();
    if (!code) return challengePage(c, { next, error: "Enter the code from your authenticator app." }, 422);
    const ctx = accountContext(c, { signInStep: true });
    const result = verifySecondFactor(ctx, code);
    if (!result.ok && result.reason === "locked") {
      c.header("Retry-After", String(result.retryAfterSeconds));
      const error = `Too many wrong codes. Try again in ${formatWait(result.retryAfterSeconds)}.`;
      return challengePage(c, { next, error }, 429);
    }
    if (!result.ok) {
      return challengePage(c, { next, error: "That code is not valid. Enter the newest code from your app." }, 422);
    }
    markSessionTwoFactorVerified(ctx.db, auth.session.id);
    recordSignIn(ctx.db, auth.user, ctx.orgId, ctx.meta, `password+${result.method}`);
    return redirectTo(c, next);
  });
