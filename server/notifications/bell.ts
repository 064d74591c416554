import { and, desc, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { notifications } from "../../models/notifications.ts";
import type { Queryable } from "../db.ts";
import { readUntilWrite } from "../db-read-cache.ts";
import type { AppEnv } from "../http/env.ts";
import { countUnread } from "./service.ts";

/** How many notifications the bell's dropdown shows. */
export const BELL_ITEMS = 6;

/**
 * Hands the console's layout the bell of a signed-in session in an organisation, read only when
 * a full page is drawn (API requests and htmx fragments never ask).
 */
export function notificationBell() {
  return createMiddleware<AppEnv>(async function notificationBell(c, next) {
    const auth = c.var.auth;
    const orgId = auth?.membership?.organization.id;
    if (auth?.session && !auth.pending && orgId) {
      const { db } = c.var.deps;
      c.set("notificationBell", () => ({
        // Every console page draws it: kept until the next write (a new notification, a read).
        ...readUntilWrite(db, `notifications.bell:${orgId}:${auth.user.id}`, () => bellOf(db, orgId, auth.user.id)),
        live: auth.permissions.has("workspace.read"),
      }));
    }
    await next();
  });
}

/** The unread count and the newest BELL_ITEMS console notifications of one person. */
export function bellOf(db: Queryable, orgId: string, userId: string) {
  const latest = db
    .select({
      id: notifications.id,
      title: notifications.title,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.userId, userId), eq(notifications.inConsole, true)))
    .orderBy(desc(notifications.id))
    .limit(BELL_ITEMS)
    .all()
    .map((row) => ({ id: row.id, title: row.title, createdAt: row.createdAt, read: row.readAt !== null }));
  return { unread: countUnread(db, orgId, userId), latest };
}
