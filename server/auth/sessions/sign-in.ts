import { eq } from "drizzle-orm";
import { type User, users } from "../../../models/identity.ts";
import { compliancePresets } from "../../../models/security-policy.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import { listUserOrganizations } from "../roles/roles.ts";
import { verifyPassword } from "./passwords.ts";
import { clearFailureRange, clearFailures, recordFailure, type ThrottleRule, throttledUntil } from "./throttle.ts";

export type CredentialsResult =
  | { ok: true; user: User; orgId: string | null }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

const presets = Object.values(compliancePresets).map((preset) => preset.policy);

/**
 * One lockout rule for every e-mail address on the box, the strictest of the compliance presets
 * (5 tries, then 60 minutes). A rule per organisation would lock a known address at another try,
 * or for another time, than an unknown one, and so tell which addresses have accounts. It counts
 * the tries at one e-mail from one client address: someone guessing elsewhere locks themselves
 * out, never the person at their own address.
 */
export const SIGN_IN_LOCKOUT: ThrottleRule = {
  slowAfter: 3,
  lockAfter: Math.min(...presets.map((policy) => policy.lockoutThreshold)),
  lockMinutes: Math.max(...presets.map((policy) => policy.lockoutMinutes)),
};

/**
 * The tries at one e-mail from every address together: past ten, each try waits longer (doubling
 * from a second, at most a minute), so guessing from many addresses stays slow, but this never
 * locks: a stranger's guesses cannot keep the person out for longer than a minute at a time.
 */
export const SIGN_IN_SLOWDOWN: ThrottleRule = { slowAfter: 10, lockAfter: Number.POSITIVE_INFINITY, lockMinutes: 0 };

// An office shares one address: the address limit is far looser than the account's.
const ADDRESS_RULE: ThrottleRule = { slowAfter: 20, lockAfter: 100, lockMinutes: 15 };

/** The prefix of every (e-mail, address) key of one e-mail; encoded, so no e-mail's prefix starts another's. */
function pairPrefix(email: string): string {
  return `account-from:${encodeURIComponent(email)}:`;
}

/** The throttle keys of a sign-in: the e-mail from this address (the lockout), the e-mail (the slow-down), the address. */
export function signInThrottleKeys(email: string, address: string): { pair: string; email: string; address: string } {
  const normalized = email.trim().toLowerCase();
  return {
    pair: `${pairPrefix(normalized)}${address}`,
    email: `account:${normalized}`,
    address: `address:${address}`,
  };
}

/** Lifts every lockout and slow-down of an e-mail, from every address (a password reset does). */
export function clearSignInFailures(db: Db, email: string): void {
  const normalized = email.trim().toLowerCase();
  const prefix = pairPrefix(normalized);
  // Every key that starts with the prefix (it ends in ":", and ";" is the next character).
  clearFailureRange(db, prefix, `${prefix.slice(0, -1)};`);
  clearFailures(db, `account:${normalized}`);
}

/**
 * Checks an e-mail and password with back-off and lockout per e-mail and client address, a
 * slow-down per e-mail from every address, and a looser limit per address. An unknown e-mail, an
 * inactive account and a wrong password get the same answer in the same time.
 */
export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<CredentialsResult> {
  const email = input.email.trim().toLowerCase();
  const keys = signInThrottleKeys(email, meta.ipAddress ?? "unknown");
  const until = [keys.pair, keys.email, keys.address]
    .map((key) => throttledUntil(db, key, now))
    .filter((date): date is Date => date !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (until)
    return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };

  const user = db.select().from(users).where(eq(users.email, email)).get() ?? null;
  const usable = user?.status === "active" ? user.passwordHash : null;
  const matches = await verifyPassword(input.password, usable);
  const orgId = user ? (listUserOrganizations(db, user.id)[0]?.id ?? null) : null;

  if (!matches || !user) {
    const pair = recordFailure(db, keys.pair, SIGN_IN_LOCKOUT, now);
    recordFailure(db, keys.email, SIGN_IN_SLOWDOWN, now);
    recordFailure(db, keys.address, ADDRESS_RULE, now);
    recordAudit(
      db,
      { orgId, action: "auth.sign_in_failed", actorUserId: user?.id ?? null, details: { email }, meta },
      now,
    );
    if (pair.locked) {
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
  // Only this address's count: the addresses that guessed wrong stay locked.
  clearFailures(db, keys.pair);
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
