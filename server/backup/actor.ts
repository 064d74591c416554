import type { Context } from "hono";
import type { RequestMeta } from "../audit/service.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";

/** Who changed or started something of the box's backups; the audit event belongs to no organisation. */
export type BackupActor = { userId: string | null; apiKeyId: string | null; meta: RequestMeta };

export function backupActorOf(c: Context<AppEnv>): BackupActor {
  const { userId, apiKeyId, meta } = serviceContext(c);
  return { userId, apiKeyId, meta };
}
