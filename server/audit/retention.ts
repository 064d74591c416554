import { and, isNull, lt } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { organizations } from "../../models/identity.ts";
import { compliancePresets, securityPolicySchema } from "../../models/security-policy.ts";
import type { Db } from "../db.ts";
import { pruneAuditEvents } from "./service.ts";

/** The stable id of the pruning job (server/jobs/system-jobs.ts). */
export const AUDIT_RETENTION_JOB = "audit.retention";
const DAY_MS = 86_400_000;

/**
 * Deletes audit events older than their organisation's `auditRetentionDays`. Events of the
 * whole box (setup, key rotation) follow the longest retention of any organisation.
 */
export function pruneExpiredAuditEvents(db: Db, now = new Date()): number {
  const retention = new Map<string, number>();
  for (const org of db.select({ id: organizations.id, policy: organizations.policy }).from(organizations).all()) {
    const policy = securityPolicySchema.safeParse(org.policy);
    retention.set(
      org.id,
      policy.success ? policy.data.auditRetentionDays : compliancePresets.basic.policy.auditRetentionDays,
    );
  }
  let removed = pruneAuditEvents(db, retention, now);
  const longest = Math.max(compliancePresets.basic.policy.auditRetentionDays, ...retention.values());
  removed += db
    .delete(auditEvents)
    .where(and(isNull(auditEvents.orgId), lt(auditEvents.createdAt, new Date(now.getTime() - longest * DAY_MS))))
    .returning({ id: auditEvents.id })
    .all().length;
  return removed;
}
