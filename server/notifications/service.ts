import { and, count, desc, eq, isNull, lt, type SQL } from "drizzle-orm";
import { type Notification, notifications } from "../../models/notifications.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import { notFound } from "../http/errors.ts";
import type { NotificationEmailState } from "./email-state.ts";

type Reader = Pick<ServiceContext, "db" | "orgId" | "userId">;

/** The caller's own console notifications in their current organisation: never anyone else's. */
function mine(ctx: Pick<Reader, "orgId" | "userId">, ...more: (SQL | undefined)[]): SQL | undefined {
  return and(
    eq(notifications.orgId, ctx.orgId),
    eq(notifications.userId, ctx.userId),
    eq(notifications.inConsole, true),
    ...more,
  );
}

/** Newest first, keyset-paged by id; `unread` leaves out what was read. */
export function listNotifications(
  ctx: Reader,
  query: { limit: number; cursor?: string | undefined; unread?: boolean },
): { data: Notification[]; nextCursor: string | null } {
  const before = query.cursor === undefined ? undefined : cursorKey(query.cursor);
  const rows = ctx.db
    .select()
    .from(notifications)
    .where(
      mine(
        ctx,
        before ? lt(notifications.id, before) : undefined,
        query.unread ? isNull(notifications.readAt) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}

/** How many of the caller's notifications are unread (the bell's number). */
export function countUnread(db: Queryable, orgId: string, userId: string): number {
  const row = db
    .select({ unread: count() })
    .from(notifications)
    .where(mine({ orgId, userId }, isNull(notifications.readAt)))
    .get();
  return row?.unread ?? 0;
}

/** One of the caller's notifications, or null (another person's or organisation's is null too). */
export function findNotificationById(ctx: Reader, id: string): Notification | null {
  return (
    ctx.db
      .select()
      .from(notifications)
      .where(mine(ctx, eq(notifications.id, id)))
      .get() ?? null
  );
}

export function notificationOrNotFound(ctx: Reader, id: string): Notification {
  const found = findNotificationById(ctx, id);
  if (!found) throw notFound("notification");
  return found;
}

/** Marks one of the caller's notifications read (already read: unchanged); 404 for anyone else's. */
export function markNotificationRead(ctx: Reader, id: string, now = new Date()): Notification {
  const found = notificationOrNotFound(ctx, id);
  if (found.readAt) return found;
  return (
    ctx.db
      .update(notifications)
      .set({ readAt: now })
      .where(mine(ctx, eq(notifications.id, found.id)))
      .returning()
      .get() ?? found
  );
}

/** Marks every unread notification of the caller read; returns how many. */
export function markAllNotificationsRead(ctx: Reader, now = new Date()): number {
  return ctx.db
    .update(notifications)
    .set({ readAt: now })
    .where(mine(ctx, isNull(notifications.readAt)))
    .returning({ id: notifications.id })
    .all().length;
}

/** The JSON an integrator sees, with where its e-mail stands (emailStatesOf). */
export function notificationJson(notification: Notification, email: NotificationEmailState = "none") {
  return {
    id: notification.id,
    kind: notification.kind,
    title: notification.title,
    subject: { type: notification.subjectType, id: notification.subjectId },
    link: notification.link,
    actorId: notification.actorId,
    read: notification.readAt !== null,
    readAt: notification.readAt?.toISOString() ?? null,
    createdAt: notification.createdAt.toISOString(),
    email,
  };
}
