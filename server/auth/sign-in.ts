import { eq } from "drizzle-orm";
import { type User, users } from "../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import type { Db } from "../db.ts";
import { compliancePresets } from "../setup/presets.ts";
import { verifyPassword } from "./passwords.ts";
import { listUserOrganizations } from "./roles.ts";
import { clearFailures, recordFailure, type ThrottleRule, throttledUntil } from "./throttle.ts";

export type CredentialsResult =
  | { ok: true; user: User; orgId: string | null }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

const presets = Object.values(compliancePresets).map((preset) => preset.policy);

/**
 * One lockout rule for every e-mail address on the box, the strictest of the compliance presets
 * (5 tries, then 60 minutes). A rule per organisation would lock a known address at another try,
 * or for another time, than an unknown one, and so tell which addresses have accounts.
 */
export const SIGN_IN_LOCKOUT: ThrottleRule = {
  slowAfter: 3,
  lockAfter: Math.min(...presets.map((policy) => policy.lockoutThreshold)),
  lockMinutes: Math.max(...presets.map((policy) => policy.lockoutMinutes)),
};

// An office shares one address: the address limit is far looser than the account's.
const ADDRESS_RULE: ThrottleRule = { slowAfter: 20, lockAfter: 100, lockMinutes: 15 };

/**
 * Checks an e-mail and password with back-off and lockout per account and per address. An
 * unknown e-mail, an inactive account and a wrong password get the same answer in the same time.
 */
export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<CredentialsResult> {
  const email = input.email.trim().toLowerCase();
  const accountKey = `account:${email}`;
  const addressKey = `address:${meta.ipAddress ?? "unknown"}`;
  const until = [throttledUntil(db, accountKey, now), throttledUntil(db, addressKey, now)]
    .filter((date): date is Date => date !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (until)
    return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };

  const user = db.select().from(users).where(eq(users.email, email)).get() ?? null;
  const usable = user?.status === "active" ? user.passwordHash : null;
  const matches = await verifyPassword(input.password, usable);
  const orgId = user ? (listUserOrganizations(db, user.id)[0]?.id ?? null) : null;

  if (!matches || !user) {
    const account = recordFailure(db, accountKey, SIGN_IN_LOCKOUT, now);
    recordFailure(db, addressKey, ADDRESS_RULE, now);
    recordAudit(
      db,
      { orgId, action: "auth.sign_in_failed", actorUserId: user?.id ?? null, details: { email }, meta },
      now,
    );
    if (account.locked) {
      recordAudit(
        db,
        {
          orgId,
          action: "auth.locked_out",
          targetType: "user",
          targetId: user?.id ?? null,
          details: { email, minutes: SIGN_IN_LOCKOUT.lockMinutes },
          meta,
        },
        now,
      );
    }
    return { ok: false, reason: "invalid_credentials" };
  }
  clearFailures(db, accountKey);
  return { ok: true, user, orgId };
}

/** Stamps a completed sign-in on the person and the audit log. */
export function recordSignIn(
  db: Db,
  user: User,
  orgId: string | null,
  meta: RequestMeta,
  method: string,
  now = new Date(),
): void {
  db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id)).run();
  recordAudit(
    db,
    {
      orgId,
      action: "auth.sign_in",
      actorUserId: user.id,
      targetType: "user",
      targetId: user.id,
      details: { method },
      meta,
    },
    now,
  );
}
