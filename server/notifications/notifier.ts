import { asc, desc, eq, gt } from "drizzle-orm";
import { type DomainEvent, domainEvents } from "../../models/events.ts";
import { users } from "../../models/identity.ts";
import { notificationProgress, notifications } from "../../models/notifications.ts";
import type { Db } from "../db.ts";
import { newId } from "../tools/ids.ts";
import { OrganizationAudience } from "./audience.ts";
import { deriveNotifications, notifyingTypes } from "./derive.ts";
import { type MyPreferences, preferencesOf } from "./preferences.ts";

const PROGRESS_ID = "events";
/** Events read per transaction. */
const BATCH = 200;

/**
 * Turns the domain events written since the last run into notifications. The notifier keeps
 * its place in the event log in `notification_progress` and moves it in the same transaction
 * that writes the notifications: an event committed before a crash is picked up at the next
 * start, and one already turned into notifications is never read again. On its very first run
 * it starts at the end of the log (a box upgraded with months of events tells no one about them).
 * Returns how many notifications it wrote.
 */
export function runNotifier(db: Db, now = new Date()): number {
  let written = 0;
  for (;;) {
    const batch = db.transaction((tx) => {
      const progress = tx.select().from(notificationProgress).where(eq(notificationProgress.id, PROGRESS_ID)).get();
      if (!progress) {
        const latest = tx
          .select({ seq: domainEvents.seq })
          .from(domainEvents)
          .orderBy(desc(domainEvents.seq))
          .limit(1)
          .get();
        tx.insert(notificationProgress)
          .values({ id: PROGRESS_ID, lastSeq: latest?.seq ?? 0 })
          .run();
        return { events: 0, written: 0 };
      }
      const events = tx
        .select()
        .from(domainEvents)
        .where(gt(domainEvents.seq, progress.lastSeq))
        .orderBy(asc(domainEvents.seq))
        .limit(BATCH)
        .all();
      const last = events.at(-1);
      if (!last) return { events: 0, written: 0 };
      const count = writeNotifications(db, events, now);
      tx.update(notificationProgress).set({ lastSeq: last.seq }).where(eq(notificationProgress.id, PROGRESS_ID)).run();
      return { events: events.length, written: count };
    });
    written += batch.written;
    if (batch.events < BATCH) return written;
  }
}

/** The notifications of a batch of events, as each recipient's preferences allow. */
function writeNotifications(db: Db, events: DomainEvent[], now: Date): number {
  const audiences = new Map<string, OrganizationAudience>();
  const preferences = new Map<string, MyPreferences>();
  let written = 0;
  for (const event of events) {
    if (!notifyingTypes.has(event.type)) continue;
    let audience = audiences.get(event.orgId);
    if (!audience) {
      audience = new OrganizationAudience(db, event.orgId);
      audiences.set(event.orgId, audience);
    }
    for (const item of deriveNotifications(db, audience, event)) {
      const key = `${event.orgId}:${item.userId}`;
      const mine = preferences.get(key) ?? preferencesOf(db, event.orgId, item.userId);
      preferences.set(key, mine);
      const channels = mine.choices[item.kind];
      if (!channels.console && !channels.email) continue;
      const inserted = db
        .insert(notifications)
        .values({
          id: newId("ntf", now.getTime()),
          orgId: event.orgId,
          userId: item.userId,
          kind: item.kind,
          eventSeq: event.seq,
          subjectType: event.subjectType,
          subjectId: event.subjectId,
          title: item.title,
          link: item.link,
          actorId: event.actorId,
          inConsole: channels.console,
          emailStatus: channels.email ? "pending" : "none",
          createdAt: event.createdAt,
        })
        .onConflictDoNothing()
        .returning({ id: notifications.id })
        .get();
      if (inserted) written += 1;
    }
  }
  return written;
}

/** Whether the person still has an address mail can go to (used when a batch is mailed). */
export function activeAddressOf(db: Db, userId: string): string | null {
  const user = db.select({ email: users.email, status: users.status }).from(users).where(eq(users.id, userId)).get();
  return user && user.status === "active" ? user.email : null;
}
