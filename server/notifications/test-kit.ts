import { and, asc, eq } from "drizzle-orm";
import { type Notification, notifications } from "../../models/notifications.ts";
import type { TestApp } from "../testing/harness.ts";
import { runNotifier } from "./notifier.ts";

/** Test helpers of the notification tests. */

/** Everything the notifier owes, written now; then a person's notifications in an organisation, oldest first. */
export function notificationsOf(box: TestApp, orgId: string, userId: string): Notification[] {
  runNotifier(box.deps.db);
  return box.deps.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.userId, userId)))
    .orderBy(asc(notifications.id))
    .all();
}

/** The kinds and titles of a person's notifications, for compact expectations. */
export function summariesOf(box: TestApp, orgId: string, userId: string): string[] {
  return notificationsOf(box, orgId, userId).map((row) => `${row.kind}: ${row.title}`);
}
