import { eq, sql } from "drizzle-orm";
import { organizations } from "../../../models/identity.ts";
import { compliancePresets, type SecurityPolicy, securityPolicySchema } from "../../../models/security-policy.ts";
import type { Db } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { listUserOrganizations } from "../roles/roles.ts";

/** An organisation's security policy; the basic preset when there is none or it does not parse. */
export function findOrganizationPolicy(db: Db, orgId: string | null): SecurityPolicy {
  const row = orgId
    ? preparedQuery(db, "auth.organizationPolicy", () =>
        db
          .select({ policy: organizations.policy })
          .from(organizations)
          .where(eq(organizations.id, sql.placeholder("orgId")))
          .prepare(),
      ).get({ orgId })
    : null;
  return parsedPolicy(row?.policy);
}

/** Whether this person must use a second factor in an organisation with `policy`. */
export function twoFactorRequired(policy: SecurityPolicy, role: string | null, isInstanceAdmin: boolean): boolean {
  return policy.twoFactorRequiredFor === "everyone" || role === "admin" || isInstanceAdmin;
}

/** Whether any organisation this person belongs to requires a second factor of them. */
export function isTwoFactorRequiredFor(db: Db, user: { id: string; isInstanceAdmin: boolean }): boolean {
  if (user.isInstanceAdmin) return true;
  return listUserOrganizations(db, user.id).some((org) =>
    twoFactorRequired(findOrganizationPolicy(db, org.id), org.role, false),
  );
}

/** The longest minimum password length among this person's organisations. */
export function passwordMinLengthFor(db: Db, userId: string): number {
  const lengths = listUserOrganizations(db, userId).map((org) => findOrganizationPolicy(db, org.id).passwordMinLength);
  return Math.max(compliancePresets.basic.policy.passwordMinLength, ...lengths);
}

// Every signed-in request reads its organisation's policy; parse each stored JSON text once.
// The parsed policy is shared, so it is frozen: a caller that wants another builds a new one.
const parsedPolicies = new Map<string, SecurityPolicy>();

function parsedPolicy(stored: unknown): SecurityPolicy {
  const key = JSON.stringify(stored ?? null);
  const known = parsedPolicies.get(key);
  if (known) return known;
  const parsed = securityPolicySchema.safeParse(stored);
  const policy = parsed.success ? parsed.data : structuredClone(compliancePresets.basic.policy);
  if (parsedPolicies.size > 1000) parsedPolicies.clear();
  deepFreeze(policy);
  parsedPolicies.set(key, policy);
  return policy;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  for (const inner of Object.values(value)) deepFreeze(inner);
  Object.freeze(value);
}
