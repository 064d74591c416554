import { and, eq } from "drizzle-orm";
import type { MessageEnvelopeObject } from "imapflow";
import type { Email } from "postal-mime";
import { type InboundOutcome, mailInboundMessages } from "../../models/mail-inbound.ts";
import type { Db, Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../http/logger.ts";
import { wakeIngestionWorkers } from "../knowledge/ingestion/wake.ts";
import { recordDocument } from "../knowledge/record.ts";
import { stageBytes } from "../knowledge/upload/files.ts";
import { mediaTypes } from "../knowledge/upload/sniff.ts";
import { recordBounceReport } from "../mail/delivery-reports.ts";
import { readDeliveryStatus } from "../tools/delivery-status.ts";
import { newId } from "../tools/ids.ts";
import type { Keyring } from "../tools/secrets.ts";
import { type ReplyTargets, verifiedReply } from "./replies.ts";

/** What taking in a message needs of the process. */
export type InboundDeps = {
  db: Db;
  keyring: Keyring;
  log: Logger;
  dataDir: string;
  maxUploadBytes: number;
  replyTargets: ReplyTargets;
};

export type ImportResult =
  | { outcome: "document"; documentId: string }
  | { outcome: "comment"; commentId: string }
  | { outcome: "too_large" }
  | { outcome: "delivery_report"; bounced: number }
  | { outcome: "duplicate" };

/** The mailbox a message came in: its organisation and its own address (for reply tokens). */
export type ReceivingMailbox = { orgId: string; address: string };

/**
 * Takes in one message of an organisation's mailbox, once: a reply with a valid token from its
 * person becomes a comment on the task or approval request it answers; anything else is stored as an e-mail document
 * of the knowledge base (its attachments follow through ingestion, each stored once by content)
 * and recorded with its sender, subject and time for the document inbox. The message's id is
 * recorded in the same transaction as what it became, so a restart never takes it in twice.
 */
export async function importInboundMessage(
  deps: InboundDeps,
  mailbox: ReceivingMailbox,
  raw: Uint8Array,
  receivedAt: Date,
): Promise<ImportResult> {
  const email = await parseEmail(raw);
  const messageId = email?.messageId?.trim() || `sha256:${new Bun.CryptoHasher("sha256").update(raw).digest("hex")}`;
  if (isTaken(deps.db, mailbox.orgId, messageId)) return { outcome: "duplicate" };
  const facts = {
    orgId: mailbox.orgId,
    messageId,
    fromAddress: email?.from?.address?.trim().toLowerCase() ?? "",
    fromName: email?.from?.name?.trim() || null,
    subject: email?.subject?.trim() || "(no subject)",
    receivedAt,
  };
  if (raw.byteLength > deps.maxUploadBytes) return recordTooLarge(deps, facts, raw.byteLength);
  const report = email ? deliveryReport(deps, mailbox, email, facts) : null;
  if (report) return report;
  const comment = email ? replyAsComment(deps, mailbox, email, facts) : null;
  if (comment) return comment;
  const staged = await stageBytes(deps.dataDir, raw);
  // Another message with these bytes may have been recorded while they were staged.
  if (isTaken(deps.db, mailbox.orgId, messageId)) return { outcome: "duplicate" };
  const { document } = recordDocument(deps.db, deps.dataDir, {
    orgId: mailbox.orgId,
    userId: null,
    staged,
    sniffed: { kind: "email", mediaType: mediaTypes.email },
    fileName: emlFileName(facts.subject),
    title: facts.subject,
    category: null,
    tags: [],
    equipmentIds: [],
    projectIds: [],
    parentId: null,
    actorName: "E-mail",
  });
  record(deps.db, facts, "document", { documentId: document.id });
  wakeIngestionWorkers();
  return { outcome: "document", documentId: document.id };
}

/** A message over the upload limit, known only by its envelope (its bytes are never fetched): recorded, not stored. */
export function recordOversized(
  deps: InboundDeps,
  mailbox: ReceivingMailbox,
  envelope: MessageEnvelopeObject,
  receivedAt: Date,
): ImportResult {
  const messageId = envelope.messageId?.trim() || `imap:${receivedAt.getTime()}:${envelope.subject ?? ""}`;
  if (isTaken(deps.db, mailbox.orgId, messageId)) return { outcome: "duplicate" };
  const from = envelope.from?.[0];
  return recordTooLarge(deps, {
    orgId: mailbox.orgId,
    messageId,
    fromAddress: from?.address?.trim().toLowerCase() ?? "",
    fromName: from?.name?.trim() || null,
    subject: envelope.subject?.trim() || "(no subject)",
    receivedAt,
  });
}

function recordTooLarge(deps: InboundDeps, facts: Facts, sizeBytes?: number): ImportResult {
  deps.log.warn({ orgId: facts.orgId, sizeBytes }, "e-mail larger than the upload limit: recorded, not stored");
  record(deps.db, facts, "too_large", {});
  return { outcome: "too_large" };
}

type Facts = Omit<typeof mailInboundMessages.$inferInsert, "id" | "outcome" | "documentId" | "commentId">;

/**
 * A bounce report about a message this box sent: the message is marked and the address
 * suppressed, and the report is recorded, not stored as a document. Applying it twice changes
 * nothing, so a crash between the two writes only repeats it.
 */
function deliveryReport(deps: InboundDeps, mailbox: ReceivingMailbox, email: Email, facts: Facts): ImportResult | null {
  const status = readDeliveryStatus(email);
  const applied = status ? recordBounceReport(deps.db, mailbox.orgId, status) : null;
  if (!applied) return null;
  record(deps.db, facts, "delivery_report", {});
  deps.log.info({ orgId: mailbox.orgId, bounced: applied.bounced }, "bounce report applied to the outbox");
  return { outcome: "delivery_report", bounced: applied.bounced };
}

function replyAsComment(deps: InboundDeps, mailbox: ReceivingMailbox, email: Email, facts: Facts): ImportResult | null {
  const reply = verifiedReply(deps, mailbox.orgId, mailbox.address, email);
  const target = reply ? deps.replyTargets[reply.subject.kind] : undefined;
  if (!reply || !target) return null;
  try {
    const commentId = deps.db.transaction((tx) => {
      const comment = target(tx, reply.ctx, reply.subject.id, reply.body);
      record(tx, facts, "comment", { commentId: comment.id });
      return comment.id;
    });
    return { outcome: "comment", commentId };
  } catch (error) {
    // The person may no longer write there (their role changed, the task went): keep the mail.
    if (!(error instanceof AppError)) throw error;
    deps.log.info({ orgId: mailbox.orgId, code: error.code }, "reply not written as a comment: stored as a document");
    return null;
  }
}

function record(
  db: Queryable,
  facts: Facts,
  outcome: InboundOutcome,
  links: { documentId?: string; commentId?: string },
): void {
  db.insert(mailInboundMessages)
    .values({ id: newId("inm"), ...facts, outcome, ...links })
    .run();
}

function isTaken(db: Db, orgId: string, messageId: string): boolean {
  return Boolean(
    db
      .select({ id: mailInboundMessages.id })
      .from(mailInboundMessages)
      .where(and(eq(mailInboundMessages.orgId, orgId), eq(mailInboundMessages.messageId, messageId)))
      .get(),
  );
}

async function parseEmail(raw: Uint8Array): Promise<Email | null> {
  const { default: PostalMime } = await import("postal-mime");
  try {
    return await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  } catch {
    // Unreadable mail is still kept: ingestion says why it cannot be read.
    return null;
  }
}

/** A file name for the stored message: its subject, without characters file systems or headers dislike. */
function emlFileName(subject: string): string {
  const base = subject
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
    .replace(/[\u0000-\u001f\u007f"\\/:*?<>|]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return `${base || "message"}.eml`;
}
