import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, count, eq } from "drizzle-orm";
import { broadcastRecipients, broadcasts } from "../../models/broadcasts.ts";
import { domainEvents } from "../../models/events.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { deliverBatch, deliverWaitingBroadcasts } from "./delivery.ts";
import { renderBroadcastMail } from "./mail.tsx";

let box: TestApp;
let orgId = "";
let senderId = "";
const deps = () => ({ db: box.deps.db, log: box.deps.log, baseUrl: "https://ops.acme.test" });

beforeAll(async () => {
  box = await startInProcessApp();
  orgId = (await setUpBox(box)).orgId;
  senderId = await createUser(box, { orgId, role: "manager", name: "Mia" });
  // The admin and seven members: eight recipients.
  for (let n = 1; n <= 7; n++) await createUser(box, { orgId, role: "member", email: `m${n}@acme.test` });
});
afterAll(() => box.close());

/** A broadcast to everyone, written as the request writes it, without waking the delivery job. */
function waitingBroadcast(subject: string) {
  return box.deps.db
    .insert(broadcasts)
    .values({
      id: newId("brd"),
      orgId,
      senderId,
      subject,
      body: "Hello **all**",
      audienceType: "organization",
      audienceLabel: "Everyone",
      status: "sending",
    })
    .returning()
    .get();
}

function written(broadcastId: string) {
  const [recipients, mails, bells, events] = [
    box.deps.db
      .select({ n: count() })
      .from(broadcastRecipients)
      .where(eq(broadcastRecipients.broadcastId, broadcastId)),
    box.deps.db
      .select({ n: count() })
      .from(mailMessages)
      .innerJoin(broadcastRecipients, eq(broadcastRecipients.mailId, mailMessages.id))
      .where(eq(broadcastRecipients.broadcastId, broadcastId)),
    box.deps.db.select({ n: count() }).from(notifications).where(eq(notifications.subjectId, broadcastId)),
    box.deps.db
      .select({ n: count() })
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, broadcastId), eq(domainEvents.type, "broadcast.delivered"))),
  ].map((query) => query.get()?.n ?? 0);
  return { recipients, mails, bells, events };
}

test("recipients are written in batches, each one transaction of rows, notifications and e-mails, yielding in between", async () => {
  const broadcast = waitingBroadcast("Batches");
  const between: ReturnType<typeof written>[] = [];
  const total = await deliverWaitingBroadcasts(deps(), {
    batch: 3,
    pause: async () => {
      between.push(written(broadcast.id));
    },
  });
  expect(total).toBe(8);
  expect(between).toEqual([
    { recipients: 3, mails: 3, bells: 3, events: 1 },
    { recipients: 6, mails: 6, bells: 6, events: 2 },
  ]);
  expect(written(broadcast.id)).toEqual({ recipients: 8, mails: 8, bells: 8, events: 3 });
  const done = box.deps.db.select().from(broadcasts).where(eq(broadcasts.id, broadcast.id)).get();
  expect(done?.status).toBe("sent");
  expect(done?.deliveredAt).toBeInstanceOf(Date);
});

test("a delivery cut short by a stop is finished at the next start, nobody written twice", async () => {
  const broadcast = waitingBroadcast("Interrupted");
  const rendered = renderBroadcastMail(deps(), broadcast);
  expect(deliverBatch(deps(), broadcast, rendered, 5)).toEqual({ written: 5, done: false });
  // The stop comes between batches: nothing more is written.
  expect(await deliverWaitingBroadcasts(deps(), { batch: 5, stopping: () => true })).toBe(0);
  expect(await deliverWaitingBroadcasts(deps(), { batch: 5 })).toBe(3);
  expect(written(broadcast.id)).toEqual({ recipients: 8, mails: 8, bells: 8, events: 2 });
  expect(await deliverWaitingBroadcasts(deps(), { batch: 5 })).toBe(0);
});

test("the e-mail carries the rendered Markdown, the link to the broadcast and the way to switch it off", () => {
  const rendered = renderBroadcastMail(deps(), waitingBroadcast("Rendered"));
  expect(rendered.subject).toBe("Rendered · Acme Ltd");
  expect(rendered.html).toContain("<strong>all</strong>");
  expect(rendered.html).toContain("From Mia to everyone");
  expect(rendered.text).toContain("Hello **all**");
  expect(rendered.text).toMatch(/Open it in Opsbox: https:\/\/ops\.acme\.test\/broadcasts\/brd_/);
  expect(rendered.text).toContain("https://ops.acme.test/account/notifications");
});
