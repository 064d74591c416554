import { eq } from "drizzle-orm";
import { organizations } from "../../../models/identity.ts";
import {
  type ComplianceLevel,
  complianceLevels,
  compliancePresets,
  type SecurityPolicy,
} from "../../../models/security-policy.ts";
import { recordAudit } from "../../audit/service.ts";
import { AppError, notFound } from "../../http/errors.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { findOrganizationPolicy } from "./org-policy.ts";
import { weakerThanPreset } from "./policy-floor.ts";

export type PolicyView = { complianceLevel: ComplianceLevel; policy: SecurityPolicy; preset: SecurityPolicy };

/** The current organisation's policy, its compliance level and that level's preset values. */
export function findSecurityPolicy(ctx: ServiceContext): PolicyView {
  const row = ctx.db
    .select({ complianceLevel: organizations.complianceLevel })
    .from(organizations)
    .where(eq(organizations.id, ctx.orgId))
    .get();
  if (!row) throw notFound("organisation");
  const level = complianceLevels.find((candidate) => candidate === row.complianceLevel) ?? "basic";
  return {
    complianceLevel: level,
    policy: findOrganizationPolicy(ctx.db, ctx.orgId),
    preset: compliancePresets[level].policy,
  };
}

/**
 * Replaces the current organisation's policy (already validated against the schema's bounds;
 * refused where weaker than the compliance preset) and records what changed. New session lifetimes apply as sessions are next used.
 */
export function updateSecurityPolicy(ctx: ServiceContext, policy: SecurityPolicy): PolicyView {
  const before = findSecurityPolicy(ctx);
  const weaker = weakerThanPreset(policy, before.preset, compliancePresets[before.complianceLevel].label);
  if (weaker.length > 0) {
    throw new AppError("validation_failed", "The policy may not be weaker than the compliance preset.", weaker);
  }
  const changed = changedFields(before.policy, policy);
  if (Object.keys(changed).length > 0) {
    ctx.db.transaction((tx) => {
      tx.update(organizations).set({ policy }).where(eq(organizations.id, ctx.orgId)).run();
      recordAudit(tx, {
        orgId: ctx.orgId,
        action: "settings.security_policy_changed",
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        targetType: "organization",
        targetId: ctx.orgId,
        details: changed,
        meta: ctx.meta,
      });
    });
  }
  return { ...before, policy };
}

function changedFields(from: SecurityPolicy, to: SecurityPolicy): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(to) as (keyof SecurityPolicy)[]) {
    if (from[key] !== to[key]) changes[key] = { from: from[key], to: to[key] };
  }
  return changes;
}
