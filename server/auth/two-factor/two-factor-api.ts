import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import { pageOfAll, pageQuery } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { accountContext, proofError, sessionAuth } from "../account/account-context.ts";
import {
  changePasswordInput,
  disableTwoFactorInput,
  signOutOthersInput,
  twoFactorCodeInput,
} from "../account/account-schemas.ts";
import { changePassword, listMySessions, signOutOtherSessions } from "../account/profile.ts";
import { markSessionTwoFactorVerified } from "../sessions/sessions.ts";
import { recordSignIn } from "../sessions/sign-in.ts";
import {
  confirmEnrolment,
  disableTwoFactor,
  generateRecoveryCodes,
  startEnrolment,
  verifySecondFactor,
} from "./two-factor.ts";

const WRONG_CODE = "The code is not valid. Check your authenticator app's clock and try the newest code.";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postAuthTwoFactor: apiDoc({ summary: "Finish signing in with the second factor", tags: ["Authentication"] }),
  postMeTwoFactor: apiDoc({ summary: "Start setting up two-factor authentication", tags: ["Account"] }),
  postMeTwoFactorConfirm: apiDoc({ summary: "Confirm two-factor authentication with a first code", tags: ["Account"] }),
  deleteMeTwoFactor: apiDoc({ summary: "Turn two-factor authentication off", tags: ["Account"] }),
  postMeRecoveryCodes: apiDoc({ summary: "Replace my recovery codes", tags: ["Account"] }),
  getMeSessions: apiDoc({ summary: "List my sessions", tags: ["Account"] }),
  deleteMeSessionsOthers: apiDoc({
    summary: "Sign out my other sessions",
    description: "Also revokes every API key I own, in every organisation, unless `revokeApiKeys` is false.",
    tags: ["Account"],
  }),
  postMePassword: apiDoc({
    summary: "Change my password",
    description: "Ends my other sessions and revokes every API key I own, unless `revokeApiKeys` is false.",
    tags: ["Account"],
  }),
};

/** API of 2FA and my sessions: /auth/two-factor, /me/two-factor, /me/sessions, /me/password. */
export const twoFactorApi = new Hono<AppEnv>()
  // Completes a sign-in that is waiting for its second factor.
  .post(
    "/auth/two-factor",
    docs.postAuthTwoFactor,
    requireAuth({ allowPending: true }),
    validate("json", twoFactorCodeInput),
    (c) => {
      const auth = sessionAuth(c);
      if (auth.pending !== "two_factor")
        throw new AppError("conflict", "This session is not waiting for a second factor.");
      const ctx = accountContext(c, { signInStep: true });
      const result = verifySecondFactor(ctx, c.req.valid("json").code);
      if (!result.ok) throw proofError(result, "code", WRONG_CODE);
      markSessionTwoFactorVerified(ctx.db, auth.session.id);
      recordSignIn(ctx.db, auth.user, ctx.orgId, ctx.meta, `password+${result.method}`);
      return c.json({ twoFactor: "verified", method: result.method });
    },
  )
  // Enrolment is open to a session that still owes it (admins at their first sign-in).
  .post("/me/two-factor", docs.postMeTwoFactor, requireAuth({ allowPending: true }), (c) => {
    const auth = sessionAuth(c);
    if (auth.pending === "two_factor")
      throw new AppError("forbidden", "Finish signing in with your second factor first.");
    return c.json(startEnrolment(accountContext(c)));
  })
  .post(
    "/me/two-factor/confirm",
    docs.postMeTwoFactorConfirm,
    requireAuth({ allowPending: true }),
    validate("json", twoFactorCodeInput),
    (c) => {
      const auth = sessionAuth(c);
      if (auth.pending === "two_factor")
        throw new AppError("forbidden", "Finish signing in with your second factor first.");
      const result = confirmEnrolment(accountContext(c), c.req.valid("json").code);
      if (!result.ok) throw proofError(result, "code", WRONG_CODE);
      return c.json({ recoveryCodes: result.recoveryCodes });
    },
  )
  .delete(
    "/me/two-factor",
    docs.deleteMeTwoFactor,
    requireAuth(),
    validate("json", disableTwoFactorInput),
    async (c) => {
      const result = await disableTwoFactor(accountContext(c), c.req.valid("json"));
      if (!result.ok) {
        const field = c.req.valid("json").code ? "code" : "password";
        throw proofError(result, field, field === "code" ? WRONG_CODE : "The password is wrong.");
      }
      return c.body(null, 204);
    },
  )
  .post("/me/recovery-codes", docs.postMeRecoveryCodes, requireAuth(), validate("json", twoFactorCodeInput), (c) => {
    const result = generateRecoveryCodes(accountContext(c), c.req.valid("json").code);
    if (!result.ok) throw proofError(result, "code", WRONG_CODE);
    return c.json({ recoveryCodes: result.recoveryCodes });
  })
  .get("/me/sessions", docs.getMeSessions, requireAuth(), validate("query", pageQuery), (c) => {
    const data = listMySessions(accountContext(c)).map((session) => ({
      current: session.current,
      userAgent: session.userAgent,
      ipAddress: session.ipAddress,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    }));
    return c.json(pageOfAll(data, c.req.valid("query")));
  })
  .delete(
    "/me/sessions/others",
    docs.deleteMeSessionsOthers,
    requireAuth(),
    // Before the body is read, so that an API key gets its 403 whatever it sent.
    async function sessionsOnly(c, next) {
      sessionAuth(c);
      await next();
    },
    validate("json", signOutOthersInput),
    (c) => {
      const result = signOutOtherSessions(accountContext(c), c.req.valid("json"));
      return c.json({ revoked: result.sessionsRevoked, apiKeysRevoked: result.apiKeysRevoked });
    },
  )
  .post("/me/password", docs.postMePassword, requireAuth(), validate("json", changePasswordInput), async (c) => {
    const result = await changePassword(accountContext(c), c.req.valid("json"));
    if (!result.ok && result.reason === "weak") {
      throw new AppError("validation_failed", result.message, [{ path: "newPassword", message: result.message }]);
    }
    if (!result.ok) throw proofError(result, "currentPassword", "The current password is wrong.");
    return c.json({ sessionsRevoked: result.sessionsRevoked, apiKeysRevoked: result.apiKeysRevoked });
  });
