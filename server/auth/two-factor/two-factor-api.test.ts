import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { authThrottles } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { apiCall, auditActionsOf, enableTotp, sessionCookieFrom, totpCode } from "../../testing/sign-in.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { rolePermissions } from "../roles/permissions.ts";
import { totpStepAt } from "./totp.ts";

type ErrorBody = { error: { code: string; details?: { path: string }[] } };

let box: TestApp;
let acme: TestBox;
let other: { orgId: string; adminId: string };
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  other = await createOrganization(box, "Other Org");
});
afterAll(() => box.close());

async function apiSignIn(email: string): Promise<{ cookie: string | null; twoFactor: string }> {
  const response = await apiCall(box, "POST", "/api/v1/auth/login", null, {
    email,
    password: "correct horse battery staple",
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { twoFactor: string };
  return { cookie: sessionCookieFrom(box, response), twoFactor: body.twoFactor };
}

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  return ((await response.json()) as ErrorBody).error;
}

const routes: [string, string, unknown][] = [
  ["POST", "/api/v1/auth/two-factor", { code: "123456" }],
  ["POST", "/api/v1/me/two-factor", undefined],
  ["POST", "/api/v1/me/two-factor/confirm", { code: "123456" }],
  ["DELETE", "/api/v1/me/two-factor", { code: "123456" }],
  ["POST", "/api/v1/me/recovery-codes", { code: "123456" }],
  ["GET", "/api/v1/me/sessions", undefined],
  ["DELETE", "/api/v1/me/sessions/others", undefined],
  ["POST", "/api/v1/me/password", { currentPassword: "x", newPassword: "y" }],
];

describe("who may call", () => {
  test.each(routes)("anonymous %s %s → 401", async (method, path, body) => {
    const response = await apiCall(box, method, path, null, body);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("unauthenticated");
  });

  test("a session still owing its second factor gets 403 everywhere but completing it", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "manager" });
    enableTotp(box, userId);
    const email = `manager-${userId.slice(-6)}@example.com`;
    const { cookie, twoFactor } = await apiSignIn(email);
    expect(twoFactor).toBe("required");
    for (const [method, path, body] of routes.filter(([, path]) => path !== "/api/v1/auth/two-factor")) {
      const response = await apiCall(box, method, path, cookie, body);
      expect([method, path, response.status]).toEqual([method, path, 403]);
    }
  });

  test("an API key cannot manage 2FA, sessions or the password (403)", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "viewer" });
    const { key } = createApiKey(
      box.deps.db,
      { orgId: acme.orgId, userId, name: "script", scopes: ["workspace.read"], expiresAt: null },
      rolePermissions.viewer,
    );
    for (const [method, path, body] of routes) {
      const response = await box.fetch(path, {
        method,
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect([path, response.status]).toEqual([path, 403]);
    }
  });
});

describe("POST /api/v1/auth/two-factor", () => {
  test("completes a pending sign-in; a wrong code is 422 on `code`", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const { cookie } = await apiSignIn(`member-${userId.slice(-6)}@example.com`);
    const wrong = await apiCall(box, "POST", "/api/v1/auth/two-factor", cookie, { code: "000000" });
    expect(wrong.status).toBe(422);
    expect((await errorOf(wrong)).details?.[0]?.path).toBe("code");
    const right = await apiCall(box, "POST", "/api/v1/auth/two-factor", cookie, { code: totpCode(key) });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ twoFactor: "verified", method: "totp" });
    const me = (await (await apiCall(box, "GET", "/api/v1/me", cookie)).json()) as { pending: string | null };
    expect(me.pending).toBeNull();
    const again = await apiCall(box, "POST", "/api/v1/auth/two-factor", cookie, { code: totpCode(key) });
    expect(again.status).toBe(409);
  });

  test("repeated wrong codes are slowed, then blocked with 429 and Retry-After, and audited", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const { cookie } = await apiSignIn(`member-${userId.slice(-6)}@example.com`);
    const attempt = (code: string) => apiCall(box, "POST", "/api/v1/auth/two-factor", cookie, { code });
    for (let i = 0; i < 3; i += 1) expect((await attempt("000000")).status).toBe(422);
    const slowed = await attempt("000000");
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const passTime = () =>
      box.deps.db
        .update(authThrottles)
        .set({ lockedUntil: null })
        .where(eq(authThrottles.key, `totp:${userId}`))
        .run();
    passTime();
    expect((await attempt("000000")).status).toBe(422);
    passTime();
    expect((await attempt("000000")).status).toBe(422);
    const blocked = await attempt(totpCode(key));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect((await errorOf(blocked)).code).toBe("rate_limited");
    expect(auditActionsOf(box, userId)).toContain("auth.two_factor_locked");
  });
});

describe("enrolment through the API", () => {
  test("an admin from an API-made setup enrols before anything else and gets ten recovery codes", async () => {
    const { cookie, twoFactor } = await apiSignIn(acme.adminEmail);
    expect(twoFactor).toBe("not_enrolled");
    expect((await apiCall(box, "GET", "/api/v1/me/sessions", cookie)).status).toBe(403);
    const started = await apiCall(box, "POST", "/api/v1/me/two-factor", cookie);
    expect(started.status).toBe(200);
    const { keyUri, secret } = (await started.json()) as { keyUri: string; secret: string };
    expect(keyUri).toStartWith("otpauth://totp/Opsbox:admin%40example.com?");
    const key = decodeBase32IgnorePadding(secret);
    const wrong = await apiCall(box, "POST", "/api/v1/me/two-factor/confirm", cookie, { code: "000000" });
    expect(wrong.status).toBe(422);
    const confirmed = await apiCall(box, "POST", "/api/v1/me/two-factor/confirm", cookie, { code: totpCode(key) });
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    expect((await apiCall(box, "GET", "/api/v1/me/sessions", cookie)).status).toBe(200);
    expect((await apiCall(box, "POST", "/api/v1/me/two-factor", cookie)).status).toBe(409);

    // Admins must keep 2FA: turning it off is refused.
    const code = totpCode(key, totpStepAt(new Date()) + 1);
    const off = await apiCall(box, "DELETE", "/api/v1/me/two-factor", cookie, { code });
    expect(off.status).toBe(403);
  });

  test("a member may regenerate recovery codes and turn 2FA off with the password", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const key = enableTotp(box, userId);
    const cookie = sessionCookie(box, userId, acme.orgId);
    const badCodes = await apiCall(box, "POST", "/api/v1/me/recovery-codes", cookie, { code: "000000" });
    expect(badCodes.status).toBe(422);
    const codes = await apiCall(box, "POST", "/api/v1/me/recovery-codes", cookie, { code: totpCode(key) });
    expect(((await codes.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    const wrong = await apiCall(box, "DELETE", "/api/v1/me/two-factor", cookie, { password: "not my password" });
    expect(wrong.status).toBe(422);
    expect((await errorOf(wrong)).details?.[0]?.path).toBe("password");
    const empty = await apiCall(box, "DELETE", "/api/v1/me/two-factor", cookie, {});
    expect(empty.status).toBe(422);
    const off = await apiCall(box, "DELETE", "/api/v1/me/two-factor", cookie, {
      password: "correct horse battery staple",
    });
    expect(off.status).toBe(204);
    expect(auditActionsOf(box, userId)).toEqual(
      expect.arrayContaining(["auth.recovery_codes_regenerated", "auth.two_factor_disabled"]),
    );
  });
});

describe("my sessions and password", () => {
  test("GET /me/sessions lists only my own sessions, the current one marked", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const mine = sessionCookie(box, userId, acme.orgId);
    sessionCookie(box, userId, acme.orgId);
    sessionCookie(box, other.adminId, other.orgId);
    const response = await apiCall(box, "GET", "/api/v1/me/sessions", mine);
    const body = (await response.json()) as { data: { current: boolean }[]; nextCursor: null };
    expect(body.data).toHaveLength(2);
    expect(body.data.filter((session) => session.current)).toHaveLength(1);
    expect(body.nextCursor).toBeNull();
  });

  test("DELETE /me/sessions/others ends my other sessions and nobody else's", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member" });
    const mine = sessionCookie(box, userId, acme.orgId);
    const elsewhere = sessionCookie(box, userId, acme.orgId);
    const someoneElse = sessionCookie(box, other.adminId, other.orgId);
    const response = await apiCall(box, "DELETE", "/api/v1/me/sessions/others", mine);
    expect(await response.json()).toEqual({ revoked: 1, apiKeysRevoked: 0 });
    expect((await apiCall(box, "GET", "/api/v1/me", elsewhere)).status).toBe(401);
    expect((await apiCall(box, "GET", "/api/v1/me", mine)).status).toBe(200);
    expect((await apiCall(box, "GET", "/api/v1/me", someoneElse)).status).toBe(200);
    expect(auditActionsOf(box, userId)).toContain("auth.sessions_revoked");
  });

  test("POST /me/password checks the current password and the rules, then ends my other sessions", async () => {
    const userId = await createUser(box, { orgId: acme.orgId, role: "member", email: "pat@example.com" });
    const mine = sessionCookie(box, userId, acme.orgId);
    const elsewhere = sessionCookie(box, userId, acme.orgId);
    const change = (currentPassword: string, newPassword: string) =>
      apiCall(box, "POST", "/api/v1/me/password", mine, { currentPassword, newPassword });
    const wrong = await change("wrong current password", "a much better passphrase");
    expect(wrong.status).toBe(422);
    expect((await errorOf(wrong)).details?.[0]?.path).toBe("currentPassword");
    for (const weak of ["short", "password1234", "pat@example.com-secret"]) {
      const response = await change("correct horse battery staple", weak);
      expect([weak, response.status]).toEqual([weak, 422]);
      expect((await errorOf(response)).details?.[0]?.path).toBe("newPassword");
    }
    const done = await change("correct horse battery staple", "a much better passphrase");
    expect(await done.json()).toEqual({ sessionsRevoked: 1, apiKeysRevoked: 0 });
    expect((await apiCall(box, "GET", "/api/v1/me", elsewhere)).status).toBe(401);
    expect((await apiCall(box, "GET", "/api/v1/me", mine)).status).toBe(200);
    const login = await apiCall(box, "POST", "/api/v1/auth/login", null, {
      email: "pat@example.com",
      password: "a much better passphrase",
    });
    expect(login.status).toBe(200);
    expect(auditActionsOf(box, userId)).toContain("auth.password_changed");
  });
});
