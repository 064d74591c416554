import { z } from "zod";
import { recordAudit } from "../../audit/service.ts";
import { organizationTimeZone, setOrganizationTimeZone } from "../../organization-time-zone.ts";
import { isTimeZone } from "../../tools/zoned-time.ts";
import type { ServiceContext } from "../sessions/context.ts";

/** An IANA time zone name the runtime knows, as typed (`Europe/Berlin`). */
export const timeZoneField = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, "Choose a time zone from the list, such as Europe/Berlin or UTC.");

/** PUT /api/v1/organization/time-zone and Settings → Organisation. */
export const timeZoneInput = z.object({ timeZone: timeZoneField });
export const timeZoneJson = z.object({ timeZone: z.string() });
export type TimeZoneJson = z.infer<typeof timeZoneJson>;

/** The context's organisation's time zone (UTC until an admin sets one). */
export function findTimeZone(ctx: Pick<ServiceContext, "db" | "orgId">): TimeZoneJson {
  return { timeZone: organizationTimeZone(ctx.db, ctx.orgId) };
}

/** Sets the organisation's time zone (settings.manage, checked by the route), with an audit entry. */
export function changeTimeZone(ctx: ServiceContext, timeZone: string, now = new Date()): TimeZoneJson {
  return ctx.db.transaction((tx) => {
    const before = organizationTimeZone(tx, ctx.orgId);
    setOrganizationTimeZone(tx, ctx.orgId, timeZone, now);
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        action: "settings.time_zone_changed",
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        targetType: "organization",
        targetId: ctx.orgId,
        details: { from: before, to: timeZone },
        meta: ctx.meta,
      },
      now,
    );
    return { timeZone };
  });
}
