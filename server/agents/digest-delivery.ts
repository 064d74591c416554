import { eq } from "drizzle-orm";
import { organizations } from "../../models/identity.ts";
import { type NotificationChannel, notifications } from "../../models/notifications.ts";
import { type DigestMailItem, digestMail } from "../../views/mail/digest-mail.tsx";
import type { AgentContext } from "../auth/sessions/context.ts";
import type { Queryable } from "../db.ts";
import { publishEvent } from "../events/publish.ts";
import { mailBrandingFor } from "../mail/logo.ts";
import { queueMail } from "../mail/outbox.ts";
import { dayOf } from "../tools/days.ts";
import { newId } from "../tools/ids.ts";
import type { PersonDigest } from "./digest-contents.ts";

const HOUR = 3_600_000;
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "2 due today, 1 overdue, 1 approval waiting, 3 changes": what a digest holds, in words. */
export function digestSummary(digest: PersonDigest): string {
  const parts = [
    digest.dueToday.length > 0 ? `${digest.dueToday.length} due today` : "",
    digest.overdue.length > 0 ? `${digest.overdue.length} overdue` : "",
    digest.approvals.length > 0 ? plural(digest.approvals.length, "approval waiting", "approvals waiting") : "",
    digest.stuck.length > 0 ? plural(digest.stuck.length, "stuck task", "stuck tasks") : "",
    digest.changes.count > 0 ? plural(digest.changes.count, "change", "changes") : "",
  ];
  return parts.filter(Boolean).join(", ");
}

function mailSections(digest: PersonDigest, base: string, now: Date) {
  const task = (id: string) => `${base}/tasks/${encodeURIComponent(id)}`;
  const sections: { heading: string; items: DigestMailItem[] }[] = [
    {
      heading: "Overdue",
      items: digest.overdue.map((item) => ({
        title: item.title,
        url: task(item.id),
        note: item.dueAt ? `was due ${dayOf(item.dueAt)}` : "",
      })),
    },
    {
      heading: "Due today",
      items: digest.dueToday.map((item) => ({ title: item.title, url: task(item.id), note: "" })),
    },
    {
      heading: "Approvals waiting on you",
      items: digest.approvals.map((item) => ({
        title: item.title,
        url: `${base}/approvals/${encodeURIComponent(item.id)}`,
        note: `waiting ${Math.max(0, Math.floor((now.getTime() - item.waitingSince.getTime()) / HOUR))} h`,
      })),
    },
    {
      heading: "Stuck tasks (no activity for a while)",
      items: digest.stuck.map((item) => ({ title: item.title, url: task(item.id), note: "" })),
    },
  ];
  return sections.filter((section) => section.items.length > 0);
}

export type Delivery = { digest: PersonDigest; channels: Record<NotificationChannel, boolean> };

/**
 * Sends each digest the way its person chose (the `daily_digest` notification kind): the e-mail
 * through the outbox, the console notification in the bell. One `agent.digest.sent` event marks
 * the run; the console notifications point at it, as every notification points at its event.
 * Runs in the caller's transaction. Returns how many e-mails were queued.
 */
export function deliverDigests(
  db: Queryable,
  ctx: AgentContext,
  deliveries: Delivery[],
  input: { day: string; baseUrl: string; now: Date },
): number {
  if (deliveries.length === 0) return 0;
  const { now } = input;
  const base = input.baseUrl.replace(/\/+$/, "");
  const organization =
    db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, ctx.orgId)).get()?.name ??
    "Opsbox";
  const branding = mailBrandingFor(db, ctx.orgId);
  const event = publishEvent(
    db,
    { orgId: ctx.orgId, userId: null },
    {
      type: "agent.digest.sent",
      subjectType: "agent",
      subjectId: ctx.agentId,
      summary: `Daily digest went to ${plural(deliveries.length, "person", "people")}`,
      data: { agentId: ctx.agentId, day: input.day, people: deliveries.length },
    },
    now,
  );
  let mailed = 0;
  for (const { digest, channels } of deliveries) {
    const summary = digestSummary(digest);
    const mail = channels.email
      ? queueMail(
          db,
          ctx.log,
          {
            orgId: ctx.orgId,
            to: digest.person.email,
            ...digestMail({
              organization,
              name: digest.person.name,
              day: input.day,
              summary,
              sections: mailSections(digest, base, now),
              changes:
                digest.changes.count > 0
                  ? {
                      count: digest.changes.count,
                      items: digest.changes.latest.map((change) => ({
                        title: change.summary,
                        url: `${base}/tasks/${encodeURIComponent(change.taskId)}`,
                        note: "",
                      })),
                    }
                  : null,
              preferencesUrl: `${base}/account/notifications`,
              logoCid: branding.logoCid,
            }),
            attachments: branding.attachments,
            template: "daily_digest",
            kind: "non_essential",
          },
          now,
        )
      : null;
    if (mail) mailed += 1;
    if (!channels.console) continue;
    db.insert(notifications)
      .values({
        id: newId("ntf", now.getTime()),
        orgId: ctx.orgId,
        userId: digest.person.id,
        kind: "daily_digest",
        eventSeq: event.seq,
        subjectType: "agent",
        subjectId: ctx.agentId,
        title: `Your day: ${summary}`,
        link: "/",
        actorId: null,
        inConsole: true,
        // The e-mail is the digest's own (above), never part of a notification batch.
        emailStatus: mail ? "queued" : "none",
        mailId: mail?.id ?? null,
        createdAt: now,
      })
      .run();
  }
  return mailed;
}
