import { and, eq } from "drizzle-orm";
import { organizationSettings } from "../models/instance.ts";
import type { Queryable } from "./db.ts";

/** The JSON an organisation keeps under `key` in its settings (unchecked: each caller parses its own shape), or undefined. */
export function readOrganizationSetting(db: Queryable, orgId: string, key: string): unknown {
  return db
    .select({ value: organizationSettings.value })
    .from(organizationSettings)
    .where(and(eq(organizationSettings.orgId, orgId), eq(organizationSettings.key, key)))
    .get()?.value;
}

/** Sets (inserts or replaces) the organisation's setting `key`. */
export function writeOrganizationSetting(db: Queryable, orgId: string, key: string, value: unknown, now: Date): void {
  db.insert(organizationSettings)
    .values({ orgId, key, value, updatedAt: now })
    .onConflictDoUpdate({
      target: [organizationSettings.orgId, organizationSettings.key],
      set: { value, updatedAt: now },
    })
    .run();
}
