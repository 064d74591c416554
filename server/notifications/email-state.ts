import { inArray } from "drizzle-orm";
import { type MailStatus, mailMessages } from "../../models/mail.ts";
import type { Notification } from "../../models/notifications.ts";
import type { Queryable } from "../db.ts";

/** Where a notification's e-mail stands, as its person sees it. */
export const notificationEmailStates = ["none", "waiting", "sent", "not_delivered"] as const;
export type NotificationEmailState = (typeof notificationEmailStates)[number];

const stateOfMail: Record<MailStatus, NotificationEmailState> = {
  logged: "waiting",
  queued: "waiting",
  sending: "waiting",
  sent: "sent",
  failed: "not_delivered",
  bounced: "not_delivered",
  complained: "not_delivered",
  suppressed: "not_delivered",
  cancelled: "not_delivered",
};

/**
 * The e-mail state of each notification of a page, from the outbox message that carried it (one
 * query): `none` when it was not for e-mail (or the person had no address left), `waiting` until
 * the outbox has sent it, `not_delivered` once it failed for good, bounced, was suppressed or cancelled.
 */
export function emailStatesOf(db: Queryable, rows: Notification[]): Map<string, NotificationEmailState> {
  const mailIds = [...new Set(rows.flatMap((row) => (row.mailId ? [row.mailId] : [])))];
  const statuses = new Map(
    mailIds.length === 0
      ? []
      : db
          .select({ id: mailMessages.id, status: mailMessages.status })
          .from(mailMessages)
          .where(inArray(mailMessages.id, mailIds))
          .all()
          .map((mail) => [mail.id, mail.status] as const),
  );
  const states = new Map<string, NotificationEmailState>();
  for (const row of rows) {
    const status = row.mailId ? statuses.get(row.mailId) : undefined;
    if (row.emailStatus === "pending") states.set(row.id, "waiting");
    else if (row.emailStatus === "queued" && status) states.set(row.id, stateOfMail[status]);
    else states.set(row.id, "none");
  }
  return states;
}
