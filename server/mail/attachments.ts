import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { asc, eq, inArray } from "drizzle-orm";
import { mailAttachments } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import { newId } from "../tools/ids.ts";
import type { ProviderAttachment } from "./providers/types.ts";

/** A file to send with a message, in memory. */
export type AttachmentFile = { fileName: string; contentType: string; bytes: Uint8Array };

/** A file stored in the data directory, as the outbox refers to it; `contentId` for an image the HTML shows inline. */
export type StoredAttachment = {
  fileName: string;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  contentId?: string | null;
};

/** Where stored bytes live: `<data dir>/files/<sha256>`, shared with the knowledge base's uploads. */
function storedPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a sha256");
  return join(dataDir, "files", sha256);
}

function sha256Of(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes an attachment's bytes under their sha256 (written to files/tmp/, synced, renamed into
 * place, so a half-written file never has the real name) and answers the reference the outbox
 * keeps. Synchronous and small (an invoice PDF): called just before the message is queued.
 * Bytes already stored under that name are kept when they are the same.
 */
export function storeAttachment(dataDir: string, file: AttachmentFile): StoredAttachment {
  const sha256 = sha256Of(file.bytes);
  const target = storedPath(dataDir, sha256);
  const stored = { fileName: file.fileName, contentType: file.contentType, sha256, sizeBytes: file.bytes.byteLength };
  if (existsSync(target) && sha256Of(readFileSync(target)) === sha256) return stored;
  const tmpDir = join(dataDir, "files", "tmp");
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const tmpPath = join(tmpDir, `${crypto.randomUUID()}.part`);
  const fd = openSync(tmpPath, "wx", 0o600);
  try {
    let offset = 0;
    while (offset < file.bytes.byteLength) offset += writeSync(fd, file.bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmpPath, target);
  fsyncPath(join(dataDir, "files"));
  return stored;
}

/** The stored bytes of `sha256`, or null when the file is gone or no longer holds them. */
export function readStoredBytes(dataDir: string, sha256: string): Uint8Array | null {
  const path = storedPath(dataDir, sha256);
  if (!existsSync(path)) return null;
  const bytes = new Uint8Array(readFileSync(path));
  return sha256Of(bytes) === sha256 ? bytes : null;
}

/** Records a queued message's attachments (in the caller's transaction). */
export function recordAttachments(db: Queryable, messageId: string, attachments: StoredAttachment[]): void {
  for (const attachment of attachments)
    db.insert(mailAttachments)
      .values({ id: newId("mat"), messageId, ...attachment })
      .run();
}

/** The attachments of a message, as stored (for the outbox's pages). */
export function listAttachments(db: Queryable, messageId: string): StoredAttachment[] {
  return db
    .select({
      fileName: mailAttachments.fileName,
      contentType: mailAttachments.contentType,
      sha256: mailAttachments.sha256,
      sizeBytes: mailAttachments.sizeBytes,
      contentId: mailAttachments.contentId,
    })
    .from(mailAttachments)
    .where(eq(mailAttachments.messageId, messageId))
    .orderBy(asc(mailAttachments.id))
    .all();
}

/** What the outbox shows of an attachment: its name, type and size, and whether it is an inline image (the logo). */
export type AttachmentSummary = { fileName: string; contentType: string; sizeBytes: number; inline: boolean };

/** The attachments of a page of messages in one query, by message id (messages without any are absent). */
export function attachmentsOfMessages(db: Queryable, messageIds: string[]): Map<string, AttachmentSummary[]> {
  const byMessage = new Map<string, AttachmentSummary[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = db
    .select()
    .from(mailAttachments)
    .where(inArray(mailAttachments.messageId, messageIds))
    .orderBy(asc(mailAttachments.id))
    .all();
  for (const row of rows) {
    const list = byMessage.get(row.messageId) ?? [];
    list.push({
      fileName: row.fileName,
      contentType: row.contentType,
      sizeBytes: row.sizeBytes,
      inline: row.contentId !== null,
    });
    byMessage.set(row.messageId, list);
  }
  return byMessage;
}

/**
 * A message's attachments with their bytes, read for sending; the name of the first file that
 * is missing or no longer holds its bytes when one is (the message cannot be sent as written).
 * An inline image (the logo) that is gone is left out instead: it decorates, the message still says everything.
 */
export function readAttachments(
  db: Queryable,
  dataDir: string | null,
  messageId: string,
): { ok: true; attachments: ProviderAttachment[] } | { ok: false; missing: string } {
  const attachments: ProviderAttachment[] = [];
  for (const stored of listAttachments(db, messageId)) {
    const bytes = dataDir ? readStoredBytes(dataDir, stored.sha256) : null;
    if (!bytes && stored.contentId) continue;
    if (!bytes) return { ok: false, missing: stored.fileName };
    attachments.push({
      fileName: stored.fileName,
      contentType: stored.contentType,
      content: bytes,
      ...(stored.contentId ? { contentId: stored.contentId } : {}),
    });
  }
  return { ok: true, attachments };
}
