import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type ApiKey, apiKeys, type User } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { AppError } from "../../http/errors.ts";
import { newId } from "../../tools/ids.ts";
import { findAccountById } from "../people/accounts.ts";
import { isPermission, type Permission } from "../roles/permissions.ts";
import { generateSecureRandomString, hashSecret, secretMatches } from "../sessions/tokens.ts";

/** Keys look like `obx_<8 characters>_<32 characters>`; the first two parts are the visible prefix. */
const KEY_PATTERN = /^(obx_[a-z2-9]{8})_([a-z2-9]{32})$/;
// Writing last-used on every call would cost a commit per request; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

export type CreatedApiKey = { apiKey: ApiKey; key: string };

/** Creates a key; `key` is shown once and never stored. Scopes must be within what the owner may do. */
export function createApiKey(
  db: Db,
  input: { orgId: string; userId: string; name: string; scopes: Permission[]; expiresAt: Date | null },
  ownerPermissions: ReadonlySet<Permission>,
  now = new Date(),
): CreatedApiKey {
  const beyond = input.scopes.filter((scope) => !ownerPermissions.has(scope));
  if (beyond.length > 0) {
    throw new AppError("validation_failed", "A key cannot have scopes its owner does not have.", [
      { path: "scopes", message: `Not allowed for this person: ${beyond.join(", ")}.` },
    ]);
  }
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError("validation_failed", "The expiry must be in the future.", [
      { path: "expiresAt", message: "Must be in the future." },
    ]);
  }
  const prefix = `obx_${generateSecureRandomString(8)}`;
  const secret = generateSecureRandomString(32);
  const apiKey = db
    .insert(apiKeys)
    .values({
      id: newId("key", now.getTime()),
      orgId: input.orgId,
      userId: input.userId,
      name: input.name,
      prefix,
      secretHash: hashSecret(secret),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt,
      createdAt: now,
    })
    .returning()
    .get();
  return { apiKey, key: `${prefix}_${secret}` };
}

/**
 * The live key behind a bearer token with its owner, or null: unknown, wrong secret, revoked,
 * expired or owner deactivated. Two single-table lookups: cheaper in bun:sqlite than one join,
 * and this runs on every API request.
 */
export function verifyApiKeyWithOwner(db: Db, token: string, now = new Date()): { key: ApiKey; owner: User } | null {
  const match = KEY_PATTERN.exec(token);
  if (!match?.[1] || !match[2]) return null;
  const key = preparedQuery(db, "auth.liveApiKeyByPrefix", () =>
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.prefix, sql.placeholder("prefix")), isNull(apiKeys.revokedAt)))
      .prepare(),
  ).get({ prefix: match[1] });
  if (!key || !secretMatches(match[2], key.secretHash)) return null;
  if (key.expiresAt && key.expiresAt <= now) return null;
  const owner = findAccountById(db, key.userId);
  if (!owner || owner.status === "deactivated") return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id)).run();
    key.lastUsedAt = now;
  }
  return { key, owner };
}

/**
 * Whether a key verified a moment ago still verifies without a look at the database: not expired,
 * and its last-used time recent enough that verifyApiKeyWithOwner would not write it again.
 * Revocation is a write to the database, which callers must watch for themselves (auth-cache.ts).
 */
export function apiKeyIsCurrent(key: ApiKey, now: number): boolean {
  if (key.expiresAt && key.expiresAt.getTime() <= now) return false;
  return key.lastUsedAt !== null && now - key.lastUsedAt.getTime() < LAST_USED_PRECISION_MS;
}

/** A key's permissions: its scopes, cut down to what its owner's role allows today. */
export function effectiveKeyPermissions(key: ApiKey, ownerPermissions: ReadonlySet<Permission>): Set<Permission> {
  return new Set(key.scopes.filter((scope): scope is Permission => isPermission(scope) && ownerPermissions.has(scope)));
}

export function listApiKeys(db: Db, orgId: string): ApiKey[] {
  return db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.id)).all();
}

export function findApiKeyById(db: Db, orgId: string, id: string): ApiKey | null {
  return (
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId)))
      .get() ?? null
  );
}

/** Revokes at once; the next request with the key is refused. Null when no such key in the organisation. */
export function revokeApiKey(db: Db, orgId: string, id: string, now = new Date()): ApiKey | null {
  return (
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
      .returning()
      .get() ?? null
  );
}

/** Revokes every key a person owns, in every organisation (deactivation). */
export function revokeUserApiKeys(db: Db, userId: string, now = new Date()): number {
  return db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id })
    .all().length;
}
