import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { organizations, recoveryCodes, users } from "../../../models/identity.ts";
import { AppError } from "../../http/errors.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { auditActionsOf, enableTotp, totpCode } from "../../testing/sign-in.ts";
import type { AccountContext } from "../account/account-context.ts";
import { findOrganizationPolicy } from "../organizations/org-policy.ts";
import { createSession, listUserSessions, sessionPolicyDefaults } from "../sessions/sessions.ts";
import { countUnusedRecoveryCodes } from "./recovery-codes.ts";
import { totpStepAt } from "./totp.ts";
import {
  confirmEnrolment,
  disableTwoFactor,
  generateRecoveryCodes,
  secondFactorRule,
  startEnrolment,
  verifySecondFactor,
} from "./two-factor.ts";

let box: TestApp;
let acme: TestBox;
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
});
afterAll(() => box.close());

/** A person's context with a current session and one other session elsewhere. */
function contextOf(userId: string): AccountContext {
  const newSession = () =>
    createSession(box.deps.db, { userId, orgId: acme.orgId, twoFactorVerified: true, policy: sessionPolicyDefaults })
      .session.id;
  const sessionId = newSession();
  newSession();
  return {
    db: box.deps.db,
    keyring: box.deps.keyring,
    log: box.deps.log,
    userId,
    orgId: acme.orgId,
    sessionId,
    meta: { ipAddress: "192.0.2.10", userAgent: "test", requestId: "req-test" },
  };
}

function sessionCount(userId: string): number {
  return listUserSessions(box.deps.db, userId).length;
}

async function enrol(role: string): Promise<{ ctx: AccountContext; key: Uint8Array; codes: string[] }> {
  const userId = await createUser(box, { orgId: acme.orgId, role });
  const ctx = contextOf(userId);
  const { secret } = startEnrolment(ctx);
  const key = decodeBase32IgnorePadding(secret);
  const confirmed = confirmEnrolment(ctx, totpCode(key));
  if (!confirmed.ok) throw new Error("enrolment failed");
  return { ctx, key, codes: confirmed.recoveryCodes };
}

describe("enrolment", () => {
  test("starting again reuses the pending key; a wrong code does not turn 2FA on", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const ctx = contextOf(userId);
    const first = startEnrolment(ctx);
    expect(startEnrolment(ctx).secret).toBe(first.secret);
    expect(first.keyUri).toStartWith("otpauth://totp/Opsbox:");
    expect(confirmEnrolment(ctx, "not-a-code")).toEqual({ ok: false, reason: "invalid" });
    const user = box.deps.db.select().from(users).where(eq(users.id, userId)).get();
    expect(user?.totpEnabledAt).toBeNull();
    expect(user?.totpKeyEncrypted).toStartWith("v1.");
  });

  test("confirming turns 2FA on, gives ten recovery codes, ends other sessions and is audited", async () => {
    const { ctx, codes } = await enrol("member");
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(sessionCount(ctx.userId)).toBe(1);
    expect(auditActionsOf(box, ctx.userId)).toContain("auth.two_factor_enabled");
    expect(() => startEnrolment(ctx)).toThrow(AppError);
  });
});

describe("codes", () => {
  test("a code works once: the same code again is refused", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const ctx = contextOf(userId);
    const code = totpCode(key);
    expect(verifySecondFactor(ctx, code)).toEqual({ ok: true, method: "totp" });
    expect(verifySecondFactor(ctx, code)).toEqual({ ok: false, reason: "invalid" });
  });

  test("a step of clock drift either way is accepted; older steps are not", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const ctx = contextOf(userId);
    const at = new Date();
    const now = totpStepAt(at);
    expect(verifySecondFactor(ctx, totpCode(key, now - 2), at).ok).toBe(false);
    expect(verifySecondFactor(ctx, totpCode(key, now - 1), at).ok).toBe(true);
    // A code older than the last accepted one is refused even inside the window.
    expect(verifySecondFactor(ctx, totpCode(key, now + 1), at).ok).toBe(true);
    expect(verifySecondFactor(ctx, totpCode(key, now), at).ok).toBe(false);
  });

  test("five wrong codes lock the second factor for 15 minutes, the right code included, and it is audited", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const ctx = contextOf(userId);
    const start = Date.now();
    // Ten seconds apart, so the back-off after the third failure has passed each time.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = verifySecondFactor(ctx, "000000", new Date(start + attempt * 10_000));
      expect(result).toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = verifySecondFactor(ctx, totpCode(key), new Date(start + 60_000));
    expect(blocked.ok).toBe(false);
    expect(blocked.ok === false && blocked.reason === "locked" && blocked.retryAfterSeconds).toBeGreaterThan(13 * 60);
    const actions = auditActionsOf(box, userId);
    expect(actions.filter((action) => action === "auth.two_factor_failed")).toHaveLength(5);
    expect(actions).toContain("auth.two_factor_locked");
    const later = new Date(start + 16 * 60_000);
    expect(verifySecondFactor(ctx, totpCode(key, totpStepAt(later)), later).ok).toBe(true);
  });

  test("an organisation's stricter lockout policy applies to second-factor codes: 3 wrong codes lock it for 2 hours", async () => {
    const strict = await createOrganization(box, "Strict Ltd");
    const policy = { ...findOrganizationPolicy(box.deps.db, strict.orgId), lockoutThreshold: 3, lockoutMinutes: 120 };
    box.deps.db.update(organizations).set({ policy }).where(eq(organizations.id, strict.orgId)).run();
    const userId = await createUser(box, { orgId: strict.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const ctx = { ...contextOf(userId), orgId: strict.orgId };
    const start = Date.now();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(verifySecondFactor(ctx, "000000", new Date(start + attempt * 10_000)).ok).toBe(false);
    }
    const blocked = verifySecondFactor(ctx, totpCode(key), new Date(start + 60_000));
    expect(blocked.ok === false && blocked.reason === "locked" && blocked.retryAfterSeconds).toBeGreaterThan(118 * 60);
  });

  test("wrong codes after an organisation's single sign-on lock that path only, never the password sign-in's", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const start = Date.now();
    const viaSso = { ...contextOf(userId), ssoOrgId: acme.orgId };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      verifySecondFactor(viaSso, "000000", new Date(start + attempt * 10_000));
    }
    const ssoLater = new Date(start + 60_000);
    expect(verifySecondFactor(viaSso, totpCode(key, totpStepAt(ssoLater)), ssoLater)).toMatchObject({
      ok: false,
      reason: "locked",
    });
    const passwordLater = new Date(start + 90_000);
    expect(verifySecondFactor(contextOf(userId), totpCode(key, totpStepAt(passwordLater)), passwordLater).ok).toBe(
      true,
    );
  });

  test("a looser policy never loosens the box's rule: the basic preset's 10 tries still lock at 5", () => {
    expect(secondFactorRule({ lockoutThreshold: 10, lockoutMinutes: 1 })).toEqual({
      slowAfter: 3,
      lockAfter: 5,
      lockMinutes: 15,
    });
  });
});

describe("recovery codes", () => {
  test("each works once, in any case or spacing, and only their hashes are stored", async () => {
    const { ctx, codes } = await enrol("member");
    const [first = "", second = ""] = codes;
    const stored = box.deps.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, ctx.userId)).all();
    expect(stored).toHaveLength(10);
    for (const row of stored) {
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      for (const code of codes) expect(row.codeHash).not.toContain(code.replaceAll("-", ""));
    }
    expect(verifySecondFactor(ctx, first)).toEqual({ ok: true, method: "recovery_code" });
    expect(verifySecondFactor(ctx, first)).toEqual({ ok: false, reason: "invalid" });
    expect(verifySecondFactor(ctx, ` ${second.toUpperCase().replaceAll("-", " ")} `).ok).toBe(true);
    expect(countUnusedRecoveryCodes(box.deps.db, ctx.userId)).toBe(8);
    expect(auditActionsOf(box, ctx.userId)).toContain("auth.recovery_code_used");
  });

  test("making new ones needs a current code, retires the old ones and ends other sessions", async () => {
    const { ctx, key, codes } = await enrol("member");
    expect(generateRecoveryCodes(ctx, "000000").ok).toBe(false);
    contextOf(ctx.userId);
    const fresh = generateRecoveryCodes(ctx, totpCode(key, totpStepAt(new Date()) + 1));
    expect(fresh.ok).toBe(true);
    expect(verifySecondFactor(ctx, codes[0] ?? "").ok).toBe(false);
    expect(sessionCount(ctx.userId)).toBe(1);
    expect(auditActionsOf(box, ctx.userId)).toContain("auth.recovery_codes_regenerated");
  });
});

describe("turning 2FA off", () => {
  test("is refused for an admin, whom the policy requires to use it", async () => {
    const adminKey = enableTotp(box, acme.adminId);
    const ctx = contextOf(acme.adminId);
    await expect(disableTwoFactor(ctx, { code: totpCode(adminKey) })).rejects.toThrow("required");
  });

  test("works for a member with a code, clears key and codes, and ends other sessions", async () => {
    const { ctx, key } = await enrol("member");
    contextOf(ctx.userId);
    expect(await disableTwoFactor(ctx, { code: "000000" })).toEqual({ ok: false, reason: "invalid" });
    expect(await disableTwoFactor(ctx, { code: totpCode(key, totpStepAt(new Date()) + 1) })).toEqual({ ok: true });
    const user = box.deps.db.select().from(users).where(eq(users.id, ctx.userId)).get();
    expect(user?.totpEnabledAt).toBeNull();
    expect(user?.totpKeyEncrypted).toBeNull();
    expect(countUnusedRecoveryCodes(box.deps.db, ctx.userId)).toBe(0);
    expect(sessionCount(ctx.userId)).toBe(1);
    expect(auditActionsOf(box, ctx.userId)).toContain("auth.two_factor_disabled");
  });
});
