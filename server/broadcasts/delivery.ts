import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Broadcast, broadcastRecipients, broadcasts } from "../../models/broadcasts.ts";
import { users } from "../../models/identity.ts";
import { notifications } from "../../models/notifications.ts";
import type { Db } from "../db.ts";
import { publishEvent } from "../events/publish.ts";
import type { Logger } from "../http/logger.ts";
import { queueMail } from "../mail/outbox.ts";
import { choicesOfMany } from "../notifications/preferences.ts";
import { newId } from "../tools/ids.ts";
import { audienceMemberIds } from "./audience.ts";
import { type RenderedBroadcast, renderBroadcastMail } from "./mail.tsx";

/** Recipients written per transaction: each batch commits their notifications and e-mails together. */
export const BROADCAST_BATCH = 200;

export type DeliveryDeps = { db: Db; log: Logger; baseUrl: string };

/**
 * Delivers every broadcast still `sending`, oldest first, one batch of recipients per
 * transaction, yielding to requests between batches (`pause`). A stop (`stopping`) is honoured
 * between batches; whatever is left is delivered at the next start, since a batch is written
 * whole or not at all and nobody is written twice. Returns how many recipients were written.
 * With `orgId`, only that organisation's broadcasts.
 */
export async function deliverWaitingBroadcasts(
  deps: DeliveryDeps,
  options: { batch?: number; stopping?: () => boolean; pause?: () => Promise<void>; orgId?: string } = {},
): Promise<number> {
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  let written = 0;
  for (;;) {
    const waiting = deps.db
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.status, "sending"), options.orgId ? eq(broadcasts.orgId, options.orgId) : undefined))
      .orderBy(asc(broadcasts.id))
      .limit(1)
      .get();
    if (!waiting) return written;
    const rendered = renderBroadcastMail(deps, waiting);
    for (;;) {
      if (options.stopping?.()) return written;
      const batch = deliverBatch(deps, waiting, rendered, options.batch ?? BROADCAST_BATCH);
      written += batch.written;
      if (batch.done) break;
      await pause();
    }
  }
}

/** Organisations with a broadcast still being delivered, and since when (the job runtime's `waiting`). */
export function listOrganizationsWithBroadcastsToDeliver(db: Db): { orgId: string; dueAt: Date }[] {
  const since = sql<number>`min(${broadcasts.createdAt})`;
  return db
    .select({ orgId: broadcasts.orgId, dueAt: since })
    .from(broadcasts)
    .where(eq(broadcasts.status, "sending"))
    .groupBy(broadcasts.orgId)
    .all()
    .map((row) => ({ orgId: row.orgId, dueAt: new Date(row.dueAt) }));
}

/** Writes the next recipients of one broadcast, and marks it sent once nobody is left. */
export function deliverBatch(
  deps: DeliveryDeps,
  broadcast: Broadcast,
  rendered: RenderedBroadcast,
  size: number,
  now = new Date(),
): { written: number; done: boolean } {
  const { db } = deps;
  return db.transaction((tx) => {
    const written = new Set(
      tx
        .select({ userId: broadcastRecipients.userId })
        .from(broadcastRecipients)
        .where(eq(broadcastRecipients.broadcastId, broadcast.id))
        .all()
        .map((row) => row.userId),
    );
    const left = audienceMemberIds(db, broadcast.orgId, audienceOf(broadcast), broadcast.senderId).filter(
      (id) => !written.has(id),
    );
    const next = left.slice(0, size);
    if (next.length > 0) {
      const event = publishEvent(
        tx,
        { orgId: broadcast.orgId, userId: broadcast.senderId },
        {
          type: "broadcast.delivered",
          subjectType: "broadcast",
          subjectId: broadcast.id,
          summary: `“${broadcast.subject}” reached ${next.length === 1 ? "1 more person" : `${next.length} more people`}`,
          data: { recipients: next.length },
        },
        now,
      );
      const choices = choicesOfMany(tx, broadcast.orgId, next);
      const addresses = new Map(
        tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(inArray(users.id, next))
          .all()
          .map((row) => [row.id, row.email]),
      );
      for (const userId of next) {
        const wanted = choices.get(userId)?.broadcast ?? { console: true, email: true };
        const to = addresses.get(userId);
        const mail =
          wanted.email && to
            ? queueMail(
                tx,
                deps.log,
                {
                  orgId: broadcast.orgId,
                  to,
                  subject: rendered.subject,
                  text: rendered.text,
                  html: rendered.html,
                  attachments: rendered.attachments,
                  template: "broadcast",
                  kind: "non_essential",
                },
                now,
              )
            : null;
        const notification = wanted.console
          ? tx
              .insert(notifications)
              .values({
                id: newId("ntf", now.getTime()),
                orgId: broadcast.orgId,
                userId,
                kind: "broadcast",
                eventSeq: event.seq,
                subjectType: "broadcast",
                subjectId: broadcast.id,
                title: rendered.title,
                link: `/broadcasts/${broadcast.id}`,
                actorId: broadcast.senderId,
                inConsole: true,
                // The e-mail is the broadcast's own (above), never part of a notification digest.
                emailStatus: mail ? "queued" : "none",
                mailId: mail?.id ?? null,
                createdAt: now,
              })
              .returning({ id: notifications.id })
              .get()
          : null;
        tx.insert(broadcastRecipients)
          .values({
            broadcastId: broadcast.id,
            userId,
            orgId: broadcast.orgId,
            inConsole: wanted.console,
            byEmail: mail !== null,
            notificationId: notification?.id ?? null,
            mailId: mail?.id ?? null,
            createdAt: now,
          })
          .run();
      }
    }
    const done = left.length <= size;
    if (done) {
      tx.update(broadcasts)
        .set({ status: "sent", deliveredAt: now })
        .where(and(eq(broadcasts.id, broadcast.id), eq(broadcasts.status, "sending")))
        .run();
    }
    return { written: next.length, done };
  });
}

function audienceOf(broadcast: Broadcast) {
  return { type: broadcast.audienceType, id: broadcast.audienceId };
}
