import { and, lt, ne, sql } from "drizzle-orm";
import { notifications } from "../../models/notifications.ts";
import type { Queryable } from "../db.ts";

/** How long a notification is kept, and how many a person keeps per organisation. */
export const KEEP_DAYS = 90;
export const KEEP_PER_PERSON = 500;
const DAY_MS = 86_400_000;

/**
 * Keeps the notifications table bounded: older than KEEP_DAYS, or beyond a person's newest
 * KEEP_PER_PERSON, they go (read or not). One still waiting for its e-mail stays until mailed.
 * Returns how many went.
 */
export function pruneNotifications(db: Queryable, now = new Date()): number {
  const waiting = ne(notifications.emailStatus, "pending");
  const old = db
    .delete(notifications)
    .where(and(lt(notifications.createdAt, new Date(now.getTime() - KEEP_DAYS * DAY_MS)), waiting))
    .returning({ id: notifications.id })
    .all().length;
  const beyond = sql`select id from (
      select id, row_number() over (partition by org_id, user_id order by id desc) as position from notifications
    ) where position > ${KEEP_PER_PERSON}`;
  const surplus = db
    .delete(notifications)
    .where(and(sql`${notifications.id} in (${beyond})`, waiting))
    .returning({ id: notifications.id })
    .all().length;
  return old + surplus;
}
