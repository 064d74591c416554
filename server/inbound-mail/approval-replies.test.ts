import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { approvalComments } from "../../models/approvals.ts";
import { users } from "../../models/identity.ts";
import { mailMessages } from "../../models/mail.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { notifications } from "../../models/notifications.ts";
import { inboundReplyTargets } from "../inbound-replies.ts";
import { replyAddressFor } from "../mail/reply-address.ts";
import { MAIL_BATCH_MS, mailWaitingNotifications } from "../notifications/mail.ts";
import { runNotifier } from "../notifications/notifier.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { checkReplyToken, replyTokenOf } from "../tools/reply-token.ts";
import {
  apiAs,
  type Call,
  contextFor,
  jsonOf,
  requestPurchase,
  startInvoiceRequest,
  userStep,
} from "../work/approvals/test-kit.ts";
import { type InboundDeps, importInboundMessage } from "./import.ts";
import { inboundDepsOf, inboundMessage, rawMessage } from "./test-kit.ts";

let box: TestApp;
let deps: InboundDeps;
let orgId = "";
const id: Record<string, string> = {};
let asMia: Call;
let asLee: Call;
let purchaseId = "";
let pipelineId = "";
let adminId = "";
const INBOX = "ops@acme.test";
let sequence = 0;

const emailOf = (userId: string) =>
  box.deps.db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email ?? "";
const replyTo = (userId: string, requestId: string) =>
  replyAddressFor(box.deps, { orgId, userId, subject: { kind: "approval", id: requestId } }) ?? "";
const commentsOf = (requestId: string) =>
  box.deps.db.select().from(approvalComments).where(eq(approvalComments.requestId, requestId)).all();

/** A reply from `fromUserId` to `to`, taken in by the organisation's mailbox. */
async function receive(fromUserId: string, to: string, text: string) {
  sequence += 1;
  const messageId = `approval-reply-${sequence}@mail.test`;
  const raw = rawMessage({ from: emailOf(fromUserId), to, subject: "Re: Forklift tyres", messageId, text });
  const result = await importInboundMessage(deps, { orgId, address: INBOX }, Buffer.from(raw), new Date());
  return { ...result, messageId };
}

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  adminId = acme.adminId;
  id.mia = await createUser(box, { orgId, role: "member", name: "Mia", email: "mia@acme.test" });
  id.lee = await createUser(box, { orgId, role: "team_lead", name: "Lee", email: "lee@acme.test" });
  id.max = await createUser(box, { orgId, role: "member", name: "Max", email: "max@acme.test" });
  asMia = apiAs(box, id.mia, orgId);
  asLee = apiAs(box, id.lee, orgId);
  deps = inboundDepsOf(box, inboundReplyTargets);
  box.deps.db
    .insert(mailInboxes)
    .values({ orgId, address: INBOX, host: "imap.acme.test", port: 993, security: "tls", username: "ops" })
    .run();
  const pipeline = await jsonOf<{ id: string }>(
    await apiAs(box, acme.adminId, orgId)("POST", "/api/v1/approval-pipelines", {
      name: "Lee decides",
      steps: [userStep("Lead", id.lee)],
    }),
    201,
  );
  pipelineId = pipeline.id;
  runNotifier(box.deps.db);
  purchaseId = await requestPurchase(asMia, pipeline.id);
});
afterAll(() => box.close());

function mailTo(userId: string, template: string) {
  mailWaitingNotifications(
    { db: box.deps.db, log: box.deps.log, keyring: box.deps.keyring, baseUrl: "https://ops.acme.test" },
    new Date(Date.now() + MAIL_BATCH_MS + 1000),
  );
  return box.deps.db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.toAddress, emailOf(userId)), eq(mailMessages.template, template)))
    .all()
    .at(-1);
}

test("the “approval waiting” and “approval decided” e-mails carry a reply address for that request and say so", async () => {
  runNotifier(box.deps.db);
  const waiting = mailTo(id.lee ?? "", "notification_approval_waiting");
  expect(waiting?.replyTo).toMatch(/^ops\+[0-9a-z]{50}@acme\.test$/);
  const check = checkReplyToken(
    box.deps.keyring,
    { orgId, userId: id.lee ?? "" },
    replyTokenOf(waiting?.replyTo ?? "") ?? "",
  );
  expect(check).toMatchObject({ ok: true, subject: { kind: "approval", id: purchaseId } });
  expect(waiting?.textBody).toContain("Reply to this e-mail to add a comment to the request.");

  await jsonOf(await asLee("POST", `/api/v1/approvals/${purchaseId}/decisions`, { decision: "approve" }), 201);
  runNotifier(box.deps.db);
  const decided = mailTo(id.mia ?? "", "notification_approval_decided");
  const decidedCheck = checkReplyToken(
    box.deps.keyring,
    { orgId, userId: id.mia ?? "" },
    replyTokenOf(decided?.replyTo ?? "") ?? "",
  );
  expect(decidedCheck).toMatchObject({ ok: true, subject: { kind: "approval", id: purchaseId } });
  box.deps.db.delete(notifications).run();
});

test("a reply from the person it was sent to becomes their comment on the request, without the quote", async () => {
  const result = await receive(
    id.mia ?? "",
    replyTo(id.mia ?? "", purchaseId),
    "Thanks, ordering now.\n\nOn Tue, 3 Mar 2026 at 10:04, Opsbox <ops@acme.test> wrote:\n> Your request was approved",
  );
  expect(result.outcome).toBe("comment");
  const [comment] = commentsOf(purchaseId);
  expect(comment).toMatchObject({ authorId: id.mia, body: "Thanks, ordering now." });
  expect(inboundMessage(box, orgId, `<${result.messageId}>`)?.commentId).toBe(comment?.id ?? "");
});

test("another person's reply address is refused: the mail is stored as a document", async () => {
  const result = await receive(id.max ?? "", replyTo(id.mia ?? "", purchaseId), "Through Mia's link.");
  expect(result.outcome).toBe("document");
  expect(commentsOf(purchaseId).some((row) => row.body === "Through Mia's link.")).toBe(false);
});

test("a person who may not see the request (an invoice's, with no part in it) gets no comment from a genuine token", async () => {
  const invoiceRequestId = startInvoiceRequest(box, contextFor(box, adminId, orgId), pipelineId).id;
  const result = await receive(id.max ?? "", replyTo(id.max ?? "", invoiceRequestId), "Let me see.");
  expect(result.outcome).toBe("document");
  expect(commentsOf(invoiceRequestId)).toEqual([]);
  // Lee is the invoice request's approver: the same reply from Lee is a comment.
  expect((await receive(id.lee ?? "", replyTo(id.lee ?? "", invoiceRequestId), "Hours checked.")).outcome).toBe(
    "comment",
  );
});
