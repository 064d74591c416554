import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { users } from "../../../models/identity.ts";
import type { SecurityPolicy } from "../../../models/security-policy.ts";
import { recordAudit } from "../../audit/service.ts";
import { AppError } from "../../http/errors.ts";
import { SecretDecryptionError } from "../../tools/secrets.ts";
import type { AccountContext } from "../account/account-context.ts";
import { confirmPassword, findAccountUser, type ProofFailure, secondsUntil } from "../account/profile.ts";
import { findOrganizationPolicy, isTwoFactorRequiredFor } from "../organizations/org-policy.ts";
import { invalidateUserSessions, markSessionTwoFactorVerified } from "../sessions/sessions.ts";
import { clearFailures, recordFailure, type ThrottleRule, throttledUntil } from "../sessions/throttle.ts";
import {
  consumeRecoveryCode,
  countUnusedRecoveryCodes,
  deleteRecoveryCodes,
  replaceRecoveryCodes,
} from "./recovery-codes.ts";
import { generateTotpKey, isTotpCode, matchTotpStep, openTotpKey, sealTotpKey, totpKeyUri } from "./totp.ts";

export type SecondFactorResult = { ok: true; method: "totp" | "recovery_code" } | ProofFailure;

// Six digits are a million guesses: five wrong codes lock the second factor for a while.
const CODE_RULE: ThrottleRule = { slowAfter: 3, lockAfter: 5, lockMinutes: 15 };

/**
 * The organisation's lockout policy applies here, to the second factor, where the person has
 * already proved their password (sign-in itself keeps one box-wide rule, which tells nobody
 * which addresses exist). It can only make the box's rule stricter.
 */
export function secondFactorRule(policy: Pick<SecurityPolicy, "lockoutThreshold" | "lockoutMinutes">): ThrottleRule {
  const lockAfter = Math.min(CODE_RULE.lockAfter, policy.lockoutThreshold);
  return {
    slowAfter: Math.min(CODE_RULE.slowAfter, lockAfter - 1),
    lockAfter,
    lockMinutes: Math.max(CODE_RULE.lockMinutes, policy.lockoutMinutes),
  };
}

/** Starts (or resumes) setting up an authenticator: the key as a URI for the QR code and as base32 text. */
export function startEnrolment(ctx: AccountContext): { keyUri: string; secret: string } {
  const user = findAccountUser(ctx);
  if (user.totpEnabledAt) {
    throw new AppError(
      "conflict",
      "Two-factor authentication is already on. Turn it off before setting up another app.",
    );
  }
  // A pending key is reused, so reloading the page does not invalidate a QR code already scanned.
  let key = pendingKey(ctx, user);
  if (!key) {
    key = generateTotpKey();
    ctx.db
      .update(users)
      .set({ totpKeyEncrypted: sealTotpKey(ctx.keyring, user.id, key), totpLastStep: null })
      .where(eq(users.id, user.id))
      .run();
  }
  return { keyUri: totpKeyUri(user.email, key), secret: encodeBase32UpperCaseNoPadding(key) };
}

function pendingKey(ctx: AccountContext, user: Parameters<typeof openTotpKey>[1]): Uint8Array | null {
  try {
    return openTotpKey(ctx.keyring, user);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return null;
    throw error;
  }
}

/** Turns 2FA on once a code from the new app checks out; returns the ten recovery codes, shown once. */
export function confirmEnrolment(
  ctx: AccountContext,
  code: string,
  now = new Date(),
): { ok: true; recoveryCodes: string[] } | { ok: false; reason: "invalid" } {
  const user = findAccountUser(ctx);
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on.");
  const key = pendingKey(ctx, user);
  if (!key) throw new AppError("conflict", "Start setting up two-factor authentication first.");
  const step = matchTotpStep(key, code.replace(/\s+/g, ""), user.totpLastStep, now);
  if (step === null) return { ok: false, reason: "invalid" };
  const recoveryCodes = ctx.db.transaction((tx) => {
    tx.update(users).set({ totpEnabledAt: now, totpLastStep: step }).where(eq(users.id, user.id)).run();
    return replaceRecoveryCodes(tx, user.id);
  });
  if (ctx.sessionId) markSessionTwoFactorVerified(ctx.db, ctx.sessionId);
  const sessionsRevoked = invalidateUserSessions(ctx.db, user.id, ctx.sessionId ?? undefined);
  audit(ctx, "auth.two_factor_enabled", { sessionsRevoked }, now);
  return { ok: true, recoveryCodes };
}

/**
 * Checks a second factor: a six-digit code (each time step once) or an unused recovery code.
 * Wrong codes are counted per person; past the limit the second factor is locked for a while.
 */
export function verifySecondFactor(ctx: AccountContext, code: string, now = new Date()): SecondFactorResult {
  // Wrong codes after another organisation's single sign-on count apart, so that its provider
  // (which gives the first factor at will) cannot lock the person's own sign-in.
  const throttleKey = ctx.ssoOrgId ? `totp:${ctx.userId}:sso:${ctx.ssoOrgId}` : `totp:${ctx.userId}`;
  const until = throttledUntil(ctx.db, throttleKey, now);
  if (until) return { ok: false, reason: "locked", retryAfterSeconds: secondsUntil(until, now) };
  const user = findAccountUser(ctx);
  if (!user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is not on for this account.");

  let method: "totp" | "recovery_code" | null = null;
  if (isTotpCode(code)) {
    const key = openTotpKey(ctx.keyring, user);
    const step = key ? matchTotpStep(key, code.replace(/\s+/g, ""), user.totpLastStep, now) : null;
    if (step !== null && claimStep(ctx, step)) method = "totp";
  } else if (consumeRecoveryCode(ctx.db, user.id, code, now)) {
    method = "recovery_code";
  }

  if (!method) {
    const rule = secondFactorRule(findOrganizationPolicy(ctx.db, ctx.orgId));
    const failure = recordFailure(ctx.db, throttleKey, rule, now);
    audit(ctx, "auth.two_factor_failed", { failures: failure.failures }, now);
    if (failure.locked) audit(ctx, "auth.two_factor_locked", { minutes: rule.lockMinutes }, now);
    return { ok: false, reason: "invalid" };
  }
  clearFailures(ctx.db, throttleKey);
  if (method === "recovery_code") {
    audit(ctx, "auth.recovery_code_used", { remaining: countUnusedRecoveryCodes(ctx.db, user.id) }, now);
  }
  return { ok: true, method };
}

/** Stores the accepted step; a concurrent request that already used this step or a later one wins. */
function claimStep(ctx: AccountContext, step: number): boolean {
  return (
    ctx.db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, ctx.userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id })
      .all().length === 1
  );
}

/** Turns 2FA off after a code or the password, unless a policy requires it of this person. */
export async function disableTwoFactor(
  ctx: AccountContext,
  proof: { code?: string; password?: string },
  now = new Date(),
): Promise<{ ok: true } | ProofFailure> {
  const user = findAccountUser(ctx);
  if (!user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already off.");
  if (isTwoFactorRequiredFor(ctx.db, user)) {
    throw new AppError("forbidden", "Two-factor authentication is required for you and cannot be turned off.");
  }
  const checked = proof.code
    ? verifySecondFactor(ctx, proof.code, now)
    : await confirmPassword(ctx, proof.password ?? "", now);
  if (!checked.ok) return checked;
  ctx.db.transaction((tx) => {
    tx.update(users)
      .set({ totpKeyEncrypted: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, user.id))
      .run();
    deleteRecoveryCodes(tx, user.id);
  });
  const sessionsRevoked = invalidateUserSessions(ctx.db, user.id, ctx.sessionId ?? undefined);
  audit(ctx, "auth.two_factor_disabled", { sessionsRevoked }, now);
  return { ok: true };
}

/** Ten new recovery codes in place of the old ones, after a current code. */
export function generateRecoveryCodes(
  ctx: AccountContext,
  code: string,
  now = new Date(),
): { ok: true; recoveryCodes: string[] } | ProofFailure {
  const checked = verifySecondFactor(ctx, code, now);
  if (!checked.ok) return checked;
  const recoveryCodes = ctx.db.transaction((tx) => replaceRecoveryCodes(tx, ctx.userId));
  const sessionsRevoked = invalidateUserSessions(ctx.db, ctx.userId, ctx.sessionId ?? undefined);
  audit(ctx, "auth.recovery_codes_regenerated", { sessionsRevoked }, now);
  return { ok: true, recoveryCodes };
}

/** What the profile page shows about 2FA. */
export function describeTwoFactor(ctx: AccountContext): {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  required: boolean;
} {
  const user = findAccountUser(ctx);
  return {
    enabled: user.totpEnabledAt !== null,
    enabledAt: user.totpEnabledAt,
    recoveryCodesLeft: user.totpEnabledAt ? countUnusedRecoveryCodes(ctx.db, user.id) : 0,
    required: isTwoFactorRequiredFor(ctx.db, user),
  };
}

function audit(ctx: AccountContext, action: string, details: Record<string, unknown>, now: Date): void {
  recordAudit(
    ctx.db,
    {
      orgId: ctx.orgId,
      action,
      actorUserId: ctx.userId,
      targetType: "user",
      targetId: ctx.userId,
      details,
      meta: ctx.meta,
    },
    now,
  );
}
