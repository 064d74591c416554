import { z } from "zod";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import { generateSecureRandomString, hashSecret, secretMatches } from "../../auth/sessions/tokens.ts";
import type { Db } from "../../db.ts";
import { readInstanceSetting, writeInstanceSetting } from "../instance-setting.ts";

/**
 * The bearer token a Prometheus server outside the box scrapes /metrics with. One per box,
 * made by the instance admin in Settings → Monitoring: shown once, only its SHA-256 stored.
 */
const KEY = "metrics_token";
const TOKEN_PATTERN = /^obm_[a-z2-9]{32}$/;

const storedToken = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The token's last four characters, so an admin can tell which one a scraper holds. */
  hint: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
});

export type MetricsTokenInfo = { hint: string; createdAt: Date };

type Actor = { userId: string; meta?: RequestMeta };

/** Whether a token exists, and its hint and age; never the token. */
export function findMetricsToken(db: Db): MetricsTokenInfo | null {
  const stored = readInstanceSetting(db, KEY, storedToken);
  return stored ? { hint: stored.hint, createdAt: new Date(stored.createdAt) } : null;
}

/** Makes a new token, replacing (revoking) the one before; the returned token is shown once. */
export function rotateMetricsToken(db: Db, actor: Actor, now = new Date()): string {
  const token = `obm_${generateSecureRandomString(32)}`;
  const value = {
    hash: hashSecret(token).toString("hex"),
    hint: token.slice(-4),
    createdAt: now.toISOString(),
    createdBy: actor.userId,
  };
  db.transaction((tx) => {
    const replaced = readInstanceSetting(tx, KEY, storedToken) !== null;
    writeInstanceSetting(tx, KEY, value, now);
    recordAudit(
      tx,
      {
        orgId: null,
        action: replaced ? "metrics_token.rotated" : "metrics_token.created",
        actorUserId: actor.userId,
        details: { hint: value.hint },
        meta: actor.meta,
      },
      now,
    );
  });
  return token;
}

/** Deletes the token: only loopback callers reach /metrics afterwards. False when there was none. */
export function revokeMetricsToken(db: Db, actor: Actor, now = new Date()): boolean {
  return db.transaction((tx) => {
    const stored = readInstanceSetting(tx, KEY, storedToken);
    if (!stored) return false;
    writeInstanceSetting(tx, KEY, null, now);
    recordAudit(
      tx,
      {
        orgId: null,
        action: "metrics_token.revoked",
        actorUserId: actor.userId,
        details: { hint: stored.hint },
        meta: actor.meta,
      },
      now,
    );
    return true;
  });
}

/** Whether `token` is the box's metrics token (compared in constant time). */
export function metricsTokenMatches(db: Db, token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;
  const stored = readInstanceSetting(db, KEY, storedToken);
  return stored !== null && secretMatches(token, Buffer.from(stored.hash, "hex"));
}
