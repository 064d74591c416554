import type { Context } from "hono";
import { type RequestMeta, recordAudit } from "../audit/service.ts";
import type { Db } from "../db.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";

/**
 * Who changed the box's models: an admin in the console or the API, or an operator at the CLI
 * (everything null). Models belong to the whole box; the audit event goes to the acting
 * admin's organisation.
 */
export type ModelActor = { orgId: string | null; userId: string | null; apiKeyId: string | null; meta: RequestMeta };

export const cliActor: ModelActor = { orgId: null, userId: null, apiKeyId: null, meta: {} };

export function actorOf(c: Context<AppEnv>): ModelActor {
  const ctx = serviceContext(c);
  return { orgId: ctx.orgId, userId: ctx.userId, apiKeyId: ctx.apiKeyId, meta: ctx.meta };
}

export function auditModelChange(
  db: Db,
  actor: ModelActor,
  action: string,
  targetId: string | null,
  details: Record<string, unknown>,
): void {
  recordAudit(db, {
    orgId: actor.orgId,
    action,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    targetType: targetId ? "ai_model" : "instance",
    targetId,
    details,
    meta: actor.meta,
  });
}
