import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { organizations } from "../../models/identity.ts";
import { type Notification, notifications } from "../../models/notifications.ts";
import { type NotificationMailProps, notificationMail } from "../../views/mail/notification-mail.tsx";
import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { mailBrandingFor } from "../mail/logo.ts";
import { queueMail } from "../mail/outbox.ts";
import { replyAddressFor } from "../mail/reply-address.ts";
import type { ReplySubjectKind } from "../tools/reply-token.ts";
import type { Keyring } from "../tools/secrets.ts";
import { activeAddressOf } from "./notifier.ts";

/**
 * How long a person's first unsent e-mail notification waits for others: everything that
 * arrives meanwhile goes out in the same message, so a burst of twenty assignments in a minute
 * is one e-mail (two at most when the burst straddles a batch).
 */
export const MAIL_BATCH_MS = 60_000;

/**
 * Writes to the outbox one e-mail per person whose oldest waiting notification is at least
 * MAIL_BATCH_MS old, with everything of theirs that waits; each person's batch in one
 * transaction with its notifications marked `queued`, so a crash neither loses nor repeats it.
 * Returns how many e-mails were queued.
 */
export function mailWaitingNotifications(
  deps: { db: Db; log: Logger; keyring: Keyring; baseUrl: string },
  now = new Date(),
  batchMs = MAIL_BATCH_MS,
): number {
  const { db } = deps;
  const due = db
    .select({ orgId: notifications.orgId, userId: notifications.userId })
    .from(notifications)
    .where(eq(notifications.emailStatus, "pending"))
    .groupBy(notifications.orgId, notifications.userId)
    .having(sql`min(${notifications.createdAt}) <= ${now.getTime() - batchMs}`)
    .all();
  let queued = 0;
  for (const person of due) {
    db.transaction((tx) => {
      const waiting = tx
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.orgId, person.orgId),
            eq(notifications.userId, person.userId),
            eq(notifications.emailStatus, "pending"),
          ),
        )
        .orderBy(asc(notifications.id))
        .all();
      const ids = waiting.map((row) => row.id);
      if (ids.length === 0) return;
      // Deactivated since (or gone): nothing is sent. A suppression list would be asked here too,
      // once the outbox keeps one.
      const to = activeAddressOf(db, person.userId);
      const organization = tx
        .select({ name: organizations.name })
        .from(organizations)
        .where(eq(organizations.id, person.orgId))
        .get();
      if (!to || !organization) {
        tx.update(notifications).set({ emailStatus: "skipped" }).where(inArray(notifications.id, ids)).run();
        return;
      }
      const replyTo = replyAddressOf(deps, person, waiting, now);
      const branding = mailBrandingFor(tx, person.orgId);
      const mail = notificationMail({
        ...mailProps(deps.baseUrl, organization.name, waiting),
        replyAdds: replyTo?.kind ?? null,
        logoCid: branding.logoCid,
      });
      const message = queueMail(
        tx,
        deps.log,
        {
          orgId: person.orgId,
          to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(replyTo ? { replyTo: replyTo.address } : {}),
          attachments: branding.attachments,
          template: waiting.length === 1 ? `notification_${waiting[0]?.kind}` : "notification_digest",
          kind: "non_essential",
        },
        now,
      );
      tx.update(notifications)
        .set({ emailStatus: "queued", mailId: message.id })
        .where(inArray(notifications.id, ids))
        .run();
      queued += 1;
    });
  }
  return queued;
}

/**
 * A reply address when everything in the batch is about one task or one approval request and the
 * organisation reads an inbound mailbox: a reply then becomes the person's comment on it. A
 * digest about several records has none (a reply could not say which one it answers).
 */
function replyAddressOf(
  deps: { db: Db; keyring: Keyring },
  person: { orgId: string; userId: string },
  rows: Notification[],
  now: Date,
): { address: string; kind: ReplySubjectKind } | null {
  const [first] = rows;
  const kind = first?.subjectType;
  if (!first || (kind !== "task" && kind !== "approval")) return null;
  if (rows.some((row) => row.subjectType !== kind || row.subjectId !== first.subjectId)) return null;
  const address = replyAddressFor(deps, { ...person, subject: { kind, id: first.subjectId } }, now);
  return address ? { address, kind } : null;
}

function mailProps(baseUrl: string, organization: string, rows: Notification[]): NotificationMailProps {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    organization,
    items: rows.map((row) => ({
      kind: row.kind,
      title: row.title,
      url: `${base}${row.link}`,
      at: row.createdAt.toISOString().slice(0, 16).replace("T", " "),
    })),
    preferencesUrl: `${base}/account/notifications`,
  };
}
