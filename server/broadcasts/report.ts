import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { type Broadcast, broadcastRecipients } from "../../models/broadcasts.ts";
import { memberships, users } from "../../models/identity.ts";
import type { MailStatus } from "../../models/mail.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import type { Queryable } from "../db.ts";
import { orgShownName } from "../members/directory.ts";
import {
  type BroadcastCounts,
  type BroadcastJson,
  type RecipientEmailStatus,
  type RecipientJson,
  recipientEmailStatuses,
} from "./schemas.ts";

/*
 * What became of a broadcast, per recipient: the e-mail's status is read from the outbox and the
 * console notification's read time from the notification, so both stay current without copies.
 */

type Delivery = { byEmail: boolean; mailStatus: MailStatus | null };

/** The recipient's e-mail status: the outbox's, with the draft log and "switched off" named. */
export function emailStatusOf(row: Delivery): RecipientEmailStatus {
  if (!row.byEmail) return "off";
  switch (row.mailStatus) {
    case null:
      return "gone";
    case "queued":
    case "sending":
      return "queued";
    case "logged":
      return "draft";
    case "complained":
      return "bounced";
    default:
      return row.mailStatus;
  }
}

function emptyCounts(): BroadcastCounts {
  const email = Object.fromEntries(recipientEmailStatuses.map((status) => [status, 0])) as BroadcastCounts["email"];
  return { recipients: 0, read: 0, email };
}

/** The counts at the top of each broadcast's page, for many broadcasts in one grouped read. */
export function countsOf(db: Queryable, orgId: string, broadcastIds: string[]): Map<string, BroadcastCounts> {
  const counts = new Map(broadcastIds.map((id) => [id, emptyCounts()]));
  if (broadcastIds.length === 0) return counts;
  const read = sql<number>`(${notifications.readAt} is not null)`;
  const rows = db
    .select({
      broadcastId: broadcastRecipients.broadcastId,
      byEmail: broadcastRecipients.byEmail,
      mailStatus: mailMessages.status,
      read,
      people: count(),
    })
    .from(broadcastRecipients)
    .leftJoin(mailMessages, eq(mailMessages.id, broadcastRecipients.mailId))
    .leftJoin(notifications, eq(notifications.id, broadcastRecipients.notificationId))
    .where(and(eq(broadcastRecipients.orgId, orgId), inArray(broadcastRecipients.broadcastId, broadcastIds)))
    .groupBy(broadcastRecipients.broadcastId, broadcastRecipients.byEmail, mailMessages.status, read)
    .all();
  for (const row of rows) {
    const of = counts.get(row.broadcastId);
    if (!of) continue;
    of.recipients += row.people;
    if (row.read) of.read += row.people;
    of.email[emailStatusOf(row)] += row.people;
  }
  return counts;
}

/** Every recipient of a broadcast, by name, with their e-mail's status and whether they read the notification. */
export function recipientsOf(db: Queryable, broadcast: Broadcast): RecipientJson[] {
  const name = orgShownName;
  return db
    .select({
      userId: broadcastRecipients.userId,
      name,
      email: users.email,
      byEmail: broadcastRecipients.byEmail,
      inConsole: broadcastRecipients.inConsole,
      mailStatus: mailMessages.status,
      readAt: notifications.readAt,
    })
    .from(broadcastRecipients)
    .innerJoin(users, eq(users.id, broadcastRecipients.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.orgId, broadcastRecipients.orgId), eq(memberships.userId, broadcastRecipients.userId)),
    )
    .leftJoin(mailMessages, eq(mailMessages.id, broadcastRecipients.mailId))
    .leftJoin(notifications, eq(notifications.id, broadcastRecipients.notificationId))
    .where(and(eq(broadcastRecipients.orgId, broadcast.orgId), eq(broadcastRecipients.broadcastId, broadcast.id)))
    .orderBy(asc(name), asc(broadcastRecipients.userId))
    .all()
    .map((row) => ({
      userId: row.userId,
      name: row.name,
      email: row.email,
      emailStatus: emailStatusOf(row),
      inConsole: row.inConsole,
      readAt: row.readAt?.toISOString() ?? null,
    }));
}

/** The JSON an integrator sees. */
export function broadcastJson(broadcast: Broadcast, counts: BroadcastCounts = emptyCounts()): BroadcastJson {
  return {
    id: broadcast.id,
    subject: broadcast.subject,
    body: broadcast.body,
    audience: { type: broadcast.audienceType, id: broadcast.audienceId, label: broadcast.audienceLabel },
    senderId: broadcast.senderId,
    status: broadcast.status,
    counts,
    createdAt: broadcast.createdAt.toISOString(),
    deliveredAt: broadcast.deliveredAt?.toISOString() ?? null,
  };
}
