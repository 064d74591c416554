import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { type ApiKey, apiKeys, users } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import { cursorKey, pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import type { Permission } from "../roles/permissions.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { createApiKey, findApiKeyById, revokeApiKey } from "./api-keys.ts";

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** What lists and pages show of a key: never its secret or hash. */
export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  owner: { id: string; name: string; email: string };
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: ApiKeyStatus;
};

type Owner = ApiKeyView["owner"];

/** Whether a key still works: revoked wins over expired. */
export function statusOfApiKey(key: ApiKey, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

function viewOf(key: ApiKey, owner: Owner, now = new Date()): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    owner,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    status: statusOfApiKey(key, now),
  };
}

const ownerColumns = { id: users.id, name: users.name, email: users.email };

/**
 * Creates a key owned by the caller with at most the caller's permissions (for a key
 * caller: its own scopes), audited without the secret. `key` is shown once.
 */
export function issueApiKey(
  ctx: ServiceContext,
  input: { name: string; scopes?: Permission[]; expiresAt?: Date | null; via?: "cli" },
  now = new Date(),
): { view: ApiKeyView; key: string } {
  const scopes = input.scopes ?? [...ctx.permissions];
  if (scopes.length === 0) {
    throw new AppError("validation_failed", "A key needs at least one scope.", [
      { path: "scopes", message: "Choose at least one scope." },
    ]);
  }
  return ctx.db.transaction((tx) => {
    const { apiKey, key } = createApiKey(
      ctx.db,
      { orgId: ctx.orgId, userId: ctx.userId, name: input.name, scopes, expiresAt: input.expiresAt ?? null },
      ctx.permissions,
      now,
    );
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "api_key.created",
      actorUserId: input.via === "cli" ? null : ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "api_key",
      targetId: apiKey.id,
      details: {
        name: apiKey.name,
        prefix: apiKey.prefix,
        owner: ctx.userId,
        scopes: apiKey.scopes,
        expiresAt: apiKey.expiresAt?.toISOString() ?? null,
        ...(input.via ? { via: input.via } : {}),
      },
      meta: ctx.meta,
    });
    const owner = tx.select(ownerColumns).from(users).where(eq(users.id, ctx.userId)).get();
    if (!owner) throw new AppError("not_found", "The key's owner does not exist.");
    return { view: viewOf(apiKey, owner, now), key };
  });
}

/** One page of the organisation's keys, newest first, with their owners. */
export function listApiKeysPage(
  ctx: ServiceContext,
  query: { limit: number; cursor?: string },
): { data: ApiKeyView[]; nextCursor: string | null } {
  const filters: (SQL | undefined)[] = [
    eq(apiKeys.orgId, ctx.orgId),
    query.cursor ? lt(apiKeys.id, cursorKey(query.cursor)) : undefined,
  ];
  const rows = ctx.db
    .select({ key: apiKeys, owner: ownerColumns })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(...filters))
    .orderBy(desc(apiKeys.id))
    .limit(query.limit + 1)
    .all();
  const now = new Date();
  const page = pageOf(rows, query.limit, (row) => [row.key.id]);
  return { data: page.data.map((row) => viewOf(row.key, row.owner, now)), nextCursor: page.nextCursor };
}

/** A key of the caller's organisation, or null (another organisation's key included). */
export function findApiKeyView(ctx: ServiceContext, id: string): ApiKeyView | null {
  const row = ctx.db
    .select({ key: apiKeys, owner: ownerColumns })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId)))
    .get();
  return row ? viewOf(row.key, row.owner) : null;
}

/** The key, or 404 "No such API key." for unknown ids and other organisations' keys. */
export function apiKeyOrNotFound(ctx: ServiceContext, id: string): ApiKeyView {
  const view = findApiKeyView(ctx, id);
  if (!view) throw notFound("API key");
  return view;
}

/** Revokes a key of the caller's organisation at once; revoking twice changes nothing. */
export function revokeApiKeyInOrganization(ctx: ServiceContext, id: string, now = new Date()): ApiKeyView {
  const existing = findApiKeyById(ctx.db, ctx.orgId, id);
  if (!existing) throw notFound("API key");
  if (!existing.revokedAt) {
    ctx.db.transaction((tx) => {
      revokeApiKey(ctx.db, ctx.orgId, existing.id, now);
      recordAudit(tx, {
        orgId: ctx.orgId,
        action: "api_key.revoked",
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        targetType: "api_key",
        targetId: existing.id,
        details: { name: existing.name, prefix: existing.prefix, owner: existing.userId },
        meta: ctx.meta,
      });
    });
  }
  return apiKeyOrNotFound(ctx, id);
}
