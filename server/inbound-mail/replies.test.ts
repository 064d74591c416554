import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { memberships, users } from "../../models/identity.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { taskComments } from "../../models/work.ts";
import { inboundReplyTargets } from "../inbound-replies.ts";
import { replyAddressFor } from "../mail/reply-address.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { newId } from "../tools/ids.ts";
import { signReplyToken, withReplyToken } from "../tools/reply-token.ts";
import { createTaskWorld, newTask, type TaskWorld } from "../work/tasks/test-kit.ts";
import { type InboundDeps, importInboundMessage } from "./import.ts";
import { inboundDepsOf, rawMessage } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
let deps: InboundDeps;
let taskId: string;
let globexTaskId: string;
const ACME_INBOX = "inbox@acme.test";
const GLOBEX_INBOX = "office@globex.test";
let sequence = 0;

const emailOf = (userId: string) =>
  box.deps.db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email ?? "";

function addInbox(orgId: string, address: string): void {
  // Written directly: no worker is started, these tests hand messages to the import themselves.
  box.deps.db
    .insert(mailInboxes)
    .values({ orgId, address, host: "imap.example.test", port: 993, security: "tls", username: address })
    .run();
}

/** A reply from `fromUserId` to `to`, handed to Acme's mailbox (or `mailbox`). */
function receive(fromUserId: string, to: string, text: string, mailbox = { orgId: "", address: ACME_INBOX }) {
  sequence += 1;
  const raw = rawMessage({
    from: emailOf(fromUserId),
    to,
    subject: "Re: Fix the boiler",
    messageId: `reply-${sequence}@mail.test`,
    text,
  });
  return importInboundMessage(deps, { ...mailbox, orgId: mailbox.orgId || w.orgId }, Buffer.from(raw), new Date());
}

const replyTo = (userId: string, subjectId = taskId, orgId = w.orgId) =>
  replyAddressFor(box.deps, { orgId, userId, subject: { kind: "task", id: subjectId } }) ?? "";

const commentsOf = (id: string) => box.deps.db.select().from(taskComments).where(eq(taskComments.taskId, id)).all();

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  deps = inboundDepsOf(box, inboundReplyTargets);
  addInbox(w.orgId, ACME_INBOX);
  addInbox(w.globex.orgId, GLOBEX_INBOX);
  taskId = (await newTask(w.as.admin, { title: "Fix the boiler", projectId: w.projectId, assigneeId: w.memberId })).id;
  globexTaskId = (await newTask(w.as.globex, { title: "Globex task", projectId: w.globex.projectId })).id;
});
afterAll(() => box.close());

test("no reply address without an inbound mailbox; with one it is the mailbox's +token address", () => {
  expect(
    replyAddressFor(box.deps, { orgId: newId("org"), userId: w.memberId, subject: { kind: "task", id: taskId } }),
  ).toBeNull();
  expect(replyTo(w.memberId)).toMatch(/^inbox\+[0-9a-z]{50}@acme\.test$/);
});

test("a reply from the person it was sent to becomes their comment, without the quoted message", async () => {
  const result = await receive(
    w.memberId,
    replyTo(w.memberId),
    "Fixed it this morning.\n\nOn Tue, 3 Mar 2026 at 10:04, Opsbox <inbox@acme.test> wrote:\n> Fix the boiler",
  );
  expect(result.outcome).toBe("comment");
  const comments = commentsOf(taskId);
  expect(comments).toHaveLength(1);
  expect(comments[0]).toMatchObject({ authorId: w.memberId, body: "Fixed it this morning." });
});

test("the same reply received twice is one comment", async () => {
  const raw = rawMessage({
    from: emailOf(w.memberId),
    to: replyTo(w.memberId),
    subject: "Re: Fix the boiler",
    messageId: "twice@mail.test",
    text: "Parts ordered.",
  });
  const mailbox = { orgId: w.orgId, address: ACME_INBOX };
  expect((await importInboundMessage(deps, mailbox, Buffer.from(raw), new Date())).outcome).toBe("comment");
  expect((await importInboundMessage(deps, mailbox, Buffer.from(raw), new Date())).outcome).toBe("duplicate");
  expect(commentsOf(taskId).filter((comment) => comment.body === "Parts ordered.")).toHaveLength(1);
});

test("a forged token is only stored as a document", async () => {
  const address = replyTo(w.memberId);
  // One character of the MAC changed.
  const at = address.indexOf("@") - 3;
  const forged = `${address.slice(0, at)}${address[at] === "a" ? "b" : "a"}${address.slice(at + 1)}`;
  const before = commentsOf(taskId).length;
  expect((await receive(w.memberId, forged, "Let me in.")).outcome).toBe("document");
  expect(commentsOf(taskId)).toHaveLength(before);
});

test("another person's token is refused, whoever sends it", async () => {
  const before = commentsOf(taskId).length;
  // The member replies through the lead's address, and the lead through the member's.
  expect((await receive(w.memberId, replyTo(w.leadId), "Through the lead's link.")).outcome).toBe("document");
  expect((await receive(w.leadId, replyTo(w.memberId), "Through the member's link.")).outcome).toBe("document");
  expect(commentsOf(taskId)).toHaveLength(before);
});

test("a token for another organisation's task does not work in this organisation's mailbox", async () => {
  // A person in both organisations: Globex's token, sent to Acme's mailbox, and Acme's to Globex's.
  const both = await createUser(box, { orgId: w.orgId, role: "admin", email: "both@acme.test" });
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: w.globex.orgId, userId: both, role: "admin" })
    .run();
  const globexToken = replyTo(both, globexTaskId, w.globex.orgId)
    .replace("office+", "inbox+")
    .replace("globex", "acme");
  expect((await receive(both, globexToken, "Cross-tenant.")).outcome).toBe("document");
  const acmeToken = replyTo(both).replace("inbox+", "office+").replace("acme", "globex");
  const intoGlobex = await receive(both, acmeToken, "Cross-tenant.", { orgId: w.globex.orgId, address: GLOBEX_INBOX });
  expect(intoGlobex.outcome).toBe("document");
  expect(commentsOf(globexTaskId)).toEqual([]);
  expect(commentsOf(taskId).some((comment) => comment.body === "Cross-tenant.")).toBe(false);
});

test("an expired token is refused", async () => {
  const token = signReplyToken(
    box.deps.keyring,
    { orgId: w.orgId, userId: w.memberId },
    { kind: "task", id: taskId },
    new Date(Date.now() - 60_000),
  );
  expect((await receive(w.memberId, withReplyToken(ACME_INBOX, token), "Too late.")).outcome).toBe("document");
  expect(commentsOf(taskId).some((comment) => comment.body === "Too late.")).toBe(false);
});

test("a person who may not comment on the task (a viewer) gets no comment from a valid token", async () => {
  expect((await receive(w.viewerId, replyTo(w.viewerId), "Viewer here.")).outcome).toBe("document");
  expect(commentsOf(taskId).some((comment) => comment.body === "Viewer here.")).toBe(false);
});

test("a deactivated person's reply is not a comment", async () => {
  const gone = await createUser(box, { orgId: w.orgId, role: "admin", status: "deactivated" });
  expect((await receive(gone, replyTo(gone), "Still here?")).outcome).toBe("document");
});
