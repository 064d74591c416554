import { and, eq, gte, lt } from "drizzle-orm";
import { authThrottles } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";

export type ThrottleRule = {
  /** Failures after which every further try waits, doubling from one second. */
  slowAfter: number;
  /** Failures after which the key is locked for `lockMinutes`. */
  lockAfter: number;
  lockMinutes: number;
};

/** Failures older than this no longer count. */
export const THROTTLE_WINDOW_MS = 60 * 60_000;
const MAX_BACKOFF_MS = 60_000;

/** When a key may try again, or null if it may now. */
export function throttledUntil(db: Db, key: string, now = new Date()): Date | null {
  const row = db.select().from(authThrottles).where(eq(authThrottles.key, key)).get();
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Counts a failure; returns whether this one locked the key. */
export function recordFailure(
  db: Db,
  key: string,
  rule: ThrottleRule,
  now = new Date(),
): { locked: boolean; failures: number } {
  const row = db.select().from(authThrottles).where(eq(authThrottles.key, key)).get();
  const fresh = !row || now.getTime() - row.firstFailureAt.getTime() > THROTTLE_WINDOW_MS;
  const failures = fresh ? 1 : row.failures + 1;
  let lockedUntil: Date | null = null;
  if (failures >= rule.lockAfter) lockedUntil = new Date(now.getTime() + rule.lockMinutes * 60_000);
  else if (failures >= rule.slowAfter) {
    lockedUntil = new Date(now.getTime() + Math.min(1000 * 2 ** (failures - rule.slowAfter), MAX_BACKOFF_MS));
  }
  const values = { key, failures, firstFailureAt: fresh ? now : row.firstFailureAt, lockedUntil };
  db.insert(authThrottles).values(values).onConflictDoUpdate({ target: authThrottles.key, set: values }).run();
  return { locked: failures === rule.lockAfter, failures };
}

export function clearFailures(db: Db, key: string): void {
  db.delete(authThrottles).where(eq(authThrottles.key, key)).run();
}

/** Clears every key from `from` (included) up to `to` (excluded), in the key's index order. */
export function clearFailureRange(db: Db, from: string, to: string): void {
  db.delete(authThrottles)
    .where(and(gte(authThrottles.key, from), lt(authThrottles.key, to)))
    .run();
}
