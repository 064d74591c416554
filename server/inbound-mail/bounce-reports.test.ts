import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import { mailSuppressions } from "../../models/mail-suppressions.ts";
import { inboundReplyTargets } from "../inbound-replies.ts";
import { rawBounceReport } from "../testing/bounce-report.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { type InboundDeps, importInboundMessage } from "./import.ts";
import { inboundDepsOf, inboundMessage } from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string };
let deps: InboundDeps;
beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  deps = inboundDepsOf(box, inboundReplyTargets);
});
afterAll(() => box.close());

/** A message the SMTP server accepted earlier, with its Message-ID. */
function sentMessage(to: string, orgId: string | null): MailMessage {
  const id = newId("msg");
  return box.deps.db
    .insert(mailMessages)
    .values({
      id,
      orgId,
      toAddress: to,
      subject: "Task assigned to you",
      textBody: "x",
      template: "notification_task_assigned",
      kind: "non_essential",
      status: "sent",
      attempts: 1,
      provider: "smtp",
      messageIdHeader: `<${id}@acme.test>`,
      sentAt: new Date(),
    })
    .returning()
    .get();
}

const receive = (orgId: string, raw: string) =>
  importInboundMessage(deps, { orgId, address: "office@acme.test" }, Buffer.from(raw), new Date());
const row = (id: string) => box.deps.db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();
const entriesFor = (address: string) =>
  box.deps.db.select().from(mailSuppressions).where(eq(mailSuppressions.address, address)).all();

test("a 5.x.x bounce report in the mailbox marks its message bounced, suppresses the address, and is no document", async () => {
  const message = sentMessage("gone@example.com", acme.orgId);
  const raw = rawBounceReport({
    messageId: "dsn-1@mx.example.net",
    originalMessageId: message.messageIdHeader ?? "",
    recipient: "gone@example.com",
  });
  expect(await receive(acme.orgId, raw)).toEqual({ outcome: "delivery_report", bounced: 1 });
  expect(row(message.id)?.status).toBe("bounced");
  expect(row(message.id)?.lastAnswer).toContain("5.1.1");
  expect(entriesFor("gone@example.com")).toMatchObject([
    { orgId: acme.orgId, reason: "hard_bounce", source: "delivery_report", messageId: message.id },
  ]);
  expect(inboundMessage(box, acme.orgId, "<dsn-1@mx.example.net>")).toMatchObject({
    outcome: "delivery_report",
    documentId: null,
  });
  expect(await receive(acme.orgId, raw)).toEqual({ outcome: "duplicate" });
});

test("a temporary (4.x.x) report is taken in without marking anything", async () => {
  const message = sentMessage("full@example.com", acme.orgId);
  const raw = rawBounceReport({
    messageId: "dsn-2@mx.example.net",
    originalMessageId: message.messageIdHeader ?? "",
    recipient: "full@example.com",
    action: "delayed",
    status: "4.2.2",
  });
  expect(await receive(acme.orgId, raw)).toEqual({ outcome: "delivery_report", bounced: 0 });
  expect(row(message.id)?.status).toBe("sent");
  expect(entriesFor("full@example.com")).toEqual([]);
});

test("a report about another organisation's message, another recipient or an unknown Message-ID is ordinary mail", async () => {
  const acmeMessage = sentMessage("victim@example.com", acme.orgId);
  const intoGlobex = rawBounceReport({
    messageId: "dsn-3@mx.example.net",
    originalMessageId: acmeMessage.messageIdHeader ?? "",
    recipient: "victim@example.com",
  });
  expect((await receive(globex.orgId, intoGlobex)).outcome).toBe("document");
  const otherRecipient = rawBounceReport({
    messageId: "dsn-4@mx.example.net",
    originalMessageId: acmeMessage.messageIdHeader ?? "",
    recipient: "someone-else@example.com",
  });
  expect(await receive(acme.orgId, otherRecipient)).toEqual({ outcome: "delivery_report", bounced: 0 });
  const unknown = rawBounceReport({
    messageId: "dsn-5@mx.example.net",
    originalMessageId: "<msg_unknown@acme.test>",
    recipient: "victim@example.com",
  });
  expect((await receive(acme.orgId, unknown)).outcome).toBe("document");
  expect(row(acmeMessage.id)?.status).toBe("sent");
  expect(entriesFor("victim@example.com")).toEqual([]);
});

test("a report about the box's own mail (a password reset) suppresses the address box-wide", async () => {
  const reset = sentMessage("old-admin@example.com", null);
  const raw = rawBounceReport({
    messageId: "dsn-6@mx.example.net",
    originalMessageId: reset.messageIdHeader ?? "",
    recipient: "old-admin@example.com",
  });
  expect(await receive(acme.orgId, raw)).toEqual({ outcome: "delivery_report", bounced: 1 });
  expect(entriesFor("old-admin@example.com")).toMatchObject([{ orgId: null, reason: "hard_bounce" }]);
});
