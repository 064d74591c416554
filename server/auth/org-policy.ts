import { eq } from "drizzle-orm";
import { organizations } from "../../models/identity.ts";
import type { Db } from "../db.ts";
import { compliancePresets, type SecurityPolicy, securityPolicySchema } from "../setup/presets.ts";
import { listUserOrganizations } from "./roles.ts";

/** An organisation's security policy; the basic preset when there is none or it does not parse. */
export function findOrganizationPolicy(db: Db, orgId: string | null): SecurityPolicy {
  const row = orgId
    ? db.select({ policy: organizations.policy }).from(organizations).where(eq(organizations.id, orgId)).get()
    : null;
  const parsed = securityPolicySchema.safeParse(row?.policy);
  return parsed.success ? parsed.data : compliancePresets.basic.policy;
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
