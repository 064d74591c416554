import { and, eq, ne } from "drizzle-orm";
import { memberships } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import type { Queryable } from "../../db.ts";

/**
 * Tells every organisation a person belongs to (but `actingOrgId`) that another organisation
 * did something touching them, in its own audit log: an account belongs to its person, and
 * each of their organisations should see who else reaches for it.
 */
export function recordInMemberOrganizations(
  db: Queryable,
  input: {
    userId: string;
    actingOrgId: string;
    actingOrganizationName: string;
    action: string;
    details?: Record<string, unknown>;
  },
  now = new Date(),
): number {
  const others = db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, input.userId), ne(memberships.orgId, input.actingOrgId)))
    .all();
  for (const other of others) {
    recordAudit(
      db,
      {
        orgId: other.orgId,
        action: input.action,
        targetType: "user",
        targetId: input.userId,
        // Another organisation's id would mean nothing here; its name is what an admin recognises.
        details: { organization: input.actingOrganizationName, ...input.details },
        // The other organisation's request details (address, browser) are theirs, not ours to show.
        meta: {},
      },
      now,
    );
  }
  return others.length;
}
