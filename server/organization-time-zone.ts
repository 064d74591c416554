import type { Queryable } from "./db.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "./organization-settings.ts";
import { isTimeZone } from "./tools/zoned-time.ts";

/** Where an organisation's time zone is kept in organization_settings. */
export const TIME_ZONE_SETTING = "organization.timeZone";

/** The organisation's IANA time zone, for agents that run at a local hour; UTC until an admin sets one. */
export function organizationTimeZone(db: Queryable, orgId: string): string {
  const value = readOrganizationSetting(db, orgId, TIME_ZONE_SETTING);
  return typeof value === "string" && isTimeZone(value) ? value : "UTC";
}

/** Sets the organisation's time zone (the caller checked it with isTimeZone). */
export function setOrganizationTimeZone(db: Queryable, orgId: string, timeZone: string, now: Date): void {
  writeOrganizationSetting(db, orgId, TIME_ZONE_SETTING, timeZone, now);
}
