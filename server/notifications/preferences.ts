import { and, eq, inArray } from "drizzle-orm";
import { type NotificationChoices, notificationPreferences } from "../../models/notifications.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "../organization-settings.ts";
import { builtInDefaults, choicesOver } from "./kinds.ts";
import type { PreferencesInput } from "./schemas.ts";

const DEFAULTS_KEY = "notification_defaults";

export type MyPreferences = { choices: NotificationChoices; source: "personal" | "organization" };

/** The organisation's defaults: what its admins chose, over the box's own. */
export function organizationDefaults(db: Queryable, orgId: string): NotificationChoices {
  const stored = readOrganizationSetting(db, orgId, DEFAULTS_KEY) as Partial<NotificationChoices> | undefined;
  return choicesOver(builtInDefaults(), stored ?? null);
}

/** Sets the organisation's defaults (settings.manage, checked by the route); people who chose their own keep them. */
export function setOrganizationDefaults(
  ctx: ServiceContext,
  changes: Partial<Record<keyof NotificationChoices, { console?: boolean; email?: boolean }>>,
  now = new Date(),
): NotificationChoices {
  return ctx.db.transaction((tx) => {
    const choices = choicesOver(organizationDefaults(tx, ctx.orgId), changes as Partial<NotificationChoices>);
    writeOrganizationSetting(tx, ctx.orgId, DEFAULTS_KEY, choices, now);
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "settings.notification_defaults_changed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "organization",
      targetId: ctx.orgId,
      details: choices,
      meta: ctx.meta,
    });
    return choices;
  });
}

/** What reaches one person in one organisation: their own choices, or the organisation's defaults. */
export function preferencesOf(db: Queryable, orgId: string, userId: string): MyPreferences {
  const row = db
    .select({ choices: notificationPreferences.choices })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.orgId, orgId), eq(notificationPreferences.userId, userId)))
    .get();
  const defaults = organizationDefaults(db, orgId);
  return row
    ? { choices: choicesOver(defaults, row.choices), source: "personal" }
    : { choices: defaults, source: "organization" };
}

/** What reaches each of these people in one organisation (preferencesOf for many, in two reads). */
export function choicesOfMany(db: Queryable, orgId: string, userIds: string[]): Map<string, NotificationChoices> {
  const defaults = organizationDefaults(db, orgId);
  const own = new Map(
    userIds.length === 0
      ? []
      : db
          .select({ userId: notificationPreferences.userId, choices: notificationPreferences.choices })
          .from(notificationPreferences)
          .where(and(eq(notificationPreferences.orgId, orgId), inArray(notificationPreferences.userId, userIds)))
          .all()
          .map((row) => [row.userId, row.choices]),
  );
  return new Map(
    userIds.map((userId) => {
      const mine = own.get(userId);
      return [userId, mine ? choicesOver(defaults, mine) : defaults];
    }),
  );
}

/**
 * Changes the caller's own choices in their current organisation: the kinds and channels sent
 * change, the rest stays as it was (and from then on no longer follows the organisation's
 * defaults); `useOrganizationDefaults` forgets every choice of theirs.
 */
export function setMyPreferences(ctx: ServiceContext, input: PreferencesInput, now = new Date()): MyPreferences {
  return ctx.db.transaction((tx) => {
    const mine = and(eq(notificationPreferences.orgId, ctx.orgId), eq(notificationPreferences.userId, ctx.userId));
    if (input.useOrganizationDefaults) tx.delete(notificationPreferences).where(mine).run();
    if (input.choices) {
      const current = preferencesOf(tx, ctx.orgId, ctx.userId).choices;
      const choices = choicesOver(current, input.choices as Partial<NotificationChoices>);
      tx.insert(notificationPreferences)
        .values({ orgId: ctx.orgId, userId: ctx.userId, choices, updatedAt: now })
        .onConflictDoUpdate({
          target: [notificationPreferences.orgId, notificationPreferences.userId],
          set: { choices, updatedAt: now },
        })
        .run();
    }
    return preferencesOf(tx, ctx.orgId, ctx.userId);
  });
}
