/** @jsxImportSource hono/jsx */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { sessions } from "../../../models/identity.ts";
import { AccountPage } from "../../../views/pages/auth/account.tsx";
import { TwoFactorEnabledPage, TwoFactorSetupPage } from "../../../views/pages/auth/two-factor-setup.tsx";
import { renderPage } from "../../console/render.tsx";
import { nextTarget, redirectTo, withNext } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { formatWait } from "../../http/rate-limit.ts";
import { type FormSpec, readPostedForm, validateForm } from "../../http/validate-form.ts";
import { leaveOrganization } from "../people/member-removal.ts";
import { listUserOrganizations } from "../roles/roles.ts";
import { confirmEnrolment, disableTwoFactor, generateRecoveryCodes, startEnrolment } from "../two-factor/two-factor.ts";
import { accountContext, sessionAuth } from "./account-context.ts";
import { changePasswordInput } from "./account-schemas.ts";
import { accountPageProps, type PageState, twoFactorSetupProps } from "./console-props.ts";
import { changePassword, type ProofFailure, signOutOtherSessions } from "./profile.ts";

type Ctx = Context<AppEnv>;
type Status = 200 | 409 | 422 | 429;

const WRONG_CODE = "That code is not valid. Enter the newest code from your app.";

function accountPage(c: Ctx, state: PageState = {}, status: Status = 200) {
  return renderPage(
    c,
    { title: "Your account", current: "/account" },
    <AccountPage {...accountPageProps(c, state)} />,
    status,
  );
}

/** "1 API key was" or "3 API keys were". */
function apiKeysPhrase(count: number): string {
  return count === 1 ? "1 API key was" : `${count} API keys were`;
}

/** The message and status of a refused code or password; Retry-After when it is locked. */
function refusal(c: Ctx, failure: ProofFailure, wrong: string): { error: string; status: Status } {
  if (failure.reason === "invalid") return { error: wrong, status: 422 };
  c.header("Retry-After", String(failure.retryAfterSeconds));
  return { error: `Too many wrong tries. Try again in ${formatWait(failure.retryAfterSeconds)}.`, status: 429 };
}

async function setupPage(c: Ctx, next: string, error: string | null = null, status: Status = 200) {
  const enrolment = startEnrolment(accountContext(c));
  const body = <TwoFactorSetupPage {...(await twoFactorSetupProps(c, enrolment, next, error))} />;
  return renderPage(c, { title: "Set up two-factor authentication", bare: true }, body, status);
}

type PasswordValues = {
  currentPassword: string | undefined;
  newPassword: string | undefined;
  confirmPassword: string;
  revokeApiKeys: boolean;
};

/** The password form; its outcomes are union results (account.ts), so only its validation goes through the spec. */
const passwordForm: FormSpec<PasswordValues> = {
  values: (form) => {
    const sent = (name: string) => (form.has(name) ? form.text(name) : undefined);
    return {
      currentPassword: sent("currentPassword"),
      newPassword: sent("newPassword"),
      confirmPassword: form.text("confirmPassword"),
      // An unticked checkbox sends nothing: absent means "keep my keys" here, unlike the API's default.
      revokeApiKeys: form.has("revokeApiKeys"),
    };
  },
  input: ({ currentPassword, newPassword, revokeApiKeys }) => ({ currentPassword, newPassword, revokeApiKeys }),
  invalid: (c, { revokeApiKeys }, { errors }) => accountPage(c, { password: { errors, revokeApiKeys } }, 422),
};

/** The account pages: 2FA set-up (reachable while enrolment is owed) and my profile. */
export const accountConsole = new Hono<AppEnv>()
  .get("/two-factor/setup", requireAuth({ allowPending: true }), async (c) => {
    const next = nextTarget(c.req.query("next"));
    const auth = sessionAuth(c);
    if (auth.pending === "two_factor") return c.redirect(withNext("/sign-in/two-factor", next), 303);
    if (auth.user.totpEnabledAt) return c.redirect("/account", 303);
    return setupPage(c, next);
  })
  .post("/two-factor/setup", requireAuth({ allowPending: true }), async (c) => {
    const form = await readPostedForm(c);
    const next = nextTarget(form.text("next"));
    const auth = sessionAuth(c);
    if (auth.pending === "two_factor") return redirectTo(c, withNext("/sign-in/two-factor", next));
    if (auth.user.totpEnabledAt) return redirectTo(c, "/account");
    const result = confirmEnrolment(accountContext(c), form.text("code"));
    if (!result.ok) return setupPage(c, next, WRONG_CODE, 422);
    const body = <TwoFactorEnabledPage recoveryCodes={result.recoveryCodes} next={next} />;
    return renderPage(c, { title: "Two-factor authentication is on", bare: true }, body);
  })
  .get("/", requireAuth(), (c) => accountPage(c))
  .post("/password", requireAuth(), validateForm(changePasswordInput, passwordForm), async (c) => {
    const { input, values } = c.req.valid("form");
    const refused = (errors: Record<string, string>, status: Status = 422) =>
      accountPage(c, { password: { errors, revokeApiKeys: values.revokeApiKeys } }, status);
    // After a valid parse, as before: a missing field says so rather than that the two differ.
    if (input.newPassword !== values.confirmPassword)
      return refused({ confirmPassword: "The two new passwords differ." });
    const result = await changePassword(accountContext(c), input);
    if (!result.ok && result.reason === "weak") return refused({ newPassword: result.message });
    if (!result.ok) {
      const { error, status } = refusal(c, result, "The current password is wrong.");
      return refused({ currentPassword: error }, status);
    }
    const signedOut = result.sessionsRevoked > 0 ? " and your other sessions were signed out" : "";
    const keys = result.apiKeysRevoked > 0 ? `; your ${apiKeysPhrase(result.apiKeysRevoked)} revoked` : "";
    return accountPage(c, { password: { notice: `Your password has been changed${signedOut}${keys}.` } });
  })
  .post("/two-factor/recovery-codes", requireAuth(), async (c) => {
    const form = await readPostedForm(c);
    const result = generateRecoveryCodes(accountContext(c), form.text("code").trim());
    if (!result.ok) {
      const { error, status } = refusal(c, result, WRONG_CODE);
      return accountPage(c, { twoFactorState: { regenerateError: error } }, status);
    }
    return accountPage(c, { twoFactorState: { recoveryCodes: result.recoveryCodes } });
  })
  .post("/two-factor/disable", requireAuth(), async (c) => {
    const form = await readPostedForm(c);
    const code = form.text("code").trim();
    if (!code) return accountPage(c, { twoFactorState: { disableError: "Enter a current code." } }, 422);
    const result = await disableTwoFactor(accountContext(c), { code });
    if (!result.ok) {
      const { error, status } = refusal(c, result, WRONG_CODE);
      return accountPage(c, { twoFactorState: { disableError: error } }, status);
    }
    return accountPage(c, { twoFactorState: { notice: "Two-factor authentication is off." } });
  })
  .post("/sessions/sign-out-others", requireAuth(), async (c) => {
    const form = await readPostedForm(c);
    const revoked = signOutOtherSessions(accountContext(c), { revokeApiKeys: form.has("revokeApiKeys") });
    const sessions = revoked.sessionsRevoked;
    const notice = [
      sessions === 1 ? "Signed out of 1 other session." : `Signed out of ${sessions} other sessions.`,
      revoked.apiKeysRevoked > 0 ? ` Your ${apiKeysPhrase(revoked.apiKeysRevoked)} revoked.` : "",
    ].join("");
    return accountPage(c, { sessionsNotice: notice });
  })
  .post("/organizations/:id/leave", requireAuth(), (c) => {
    const ctx = accountContext(c);
    const orgId = c.req.param("id");
    const name = listUserOrganizations(ctx.db, ctx.userId).find((organization) => organization.id === orgId)?.name;
    try {
      leaveOrganization(ctx.db, { userId: ctx.userId, orgId, meta: ctx.meta });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      return accountPage(c, { organizationsState: { error: error.message } }, 409);
    }
    // Leaving the organisation this browser worked in ends its session there: sign in again.
    if (
      !c.var.deps.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(eq(sessions.id, ctx.sessionId ?? ""))
        .get()
    ) {
      return redirectTo(c, "/sign-in");
    }
    return accountPage(c, { organizationsState: { notice: `You left ${name ?? "the organisation"}.` } });
  });
