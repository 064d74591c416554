import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { type FileHandle, mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { documents } from "../../../models/knowledge.ts";
import { mailAttachments, organizationLogos } from "../../../models/mail.ts";
import type { Queryable } from "../../db.ts";
import { insufficientStorage, isDiskFullError } from "../../http/disk-space.ts";
import { AppError } from "../../http/errors.ts";
import { formatBytes } from "../../tools/bytes.ts";

/**
 * Uploaded bytes live in `<data dir>/files/<sha256>`: content-addressed, outside anything
 * served, and shared by every organisation that uploads the same bytes (so a file goes only
 * when no document anywhere names its sha256). Uploads are written to `files/tmp/` first, every
 * write awaited, synced, and renamed into place, so a half-written file never has a real name;
 * a file already under that name is trusted only once its size and hash match it.
 */

export function filesDir(dataDir: string): string {
  return join(dataDir, "files");
}

function tmpDir(dataDir: string): string {
  return join(filesDir(dataDir), "tmp");
}

/** Where the bytes of `sha256` are kept (the name is checked: it must be 64 hex digits). */
export function storedFilePath(dataDir: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error("not a sha256");
  return join(filesDir(dataDir), sha256);
}

export function isSha256(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/** Bytes written to a temporary file, hashed and counted on the way. */
export type StagedFile = { tmpPath: string; sha256: string; sizeBytes: number; head: Uint8Array };

const HEAD_BYTES = 64 * 1024;

/**
 * Streams `source` to a temporary file, hashing and counting as it goes, and syncs it to the
 * disk; 413 as soon as it passes `maxBytes`, 507 when the disk fills, and nothing is left behind
 * either way. The first 64 KB come back for sniffing the type.
 */
export async function stageFile(
  dataDir: string,
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<StagedFile> {
  const tmpPath = join(tmpDir(dataDir), `${crypto.randomUUID()}.part`);
  const hasher = new Bun.CryptoHasher("sha256");
  const head = new Uint8Array(HEAD_BYTES);
  let headLength = 0;
  let size = 0;
  let file: FileHandle | null = null;
  try {
    await mkdir(tmpDir(dataDir), { recursive: true, mode: 0o700 });
    file = await open(tmpPath, "wx", 0o600);
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new AppError(
          "payload_too_large",
          `The file is larger than the upload limit of ${formatBytes(maxBytes, 1024)}.`,
        );
      }
      if (headLength < HEAD_BYTES) {
        const take = chunk.subarray(0, HEAD_BYTES - headLength);
        head.set(take, headLength);
        headLength += take.byteLength;
      }
      hasher.update(chunk);
      await writeAll(file, chunk);
    }
    await file.sync();
    await file.close();
    file = null;
  } catch (error) {
    await file?.close().catch(() => {});
    await rm(tmpPath, { force: true });
    if (isDiskFullError(error)) {
      throw insufficientStorage(
        "The disk of this Opsbox is full, so the upload was not saved. Free space and try again.",
      );
    }
    throw error;
  }
  return { tmpPath, sha256: hasher.digest("hex"), sizeBytes: size, head: head.slice(0, headLength) };
}

/** FileHandle.write may write less than asked: go on until the whole chunk is down. */
async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Stages bytes already in memory (an e-mail's attachment). */
export function stageBytes(dataDir: string, bytes: Uint8Array): Promise<StagedFile> {
  return stageFile(dataDir, new Blob([new Uint8Array(bytes)]).stream(), Number.MAX_SAFE_INTEGER);
}

/** What committing did: new bytes stored, good bytes already there kept, or bad bytes replaced. */
export type CommitOutcome = "stored" | "kept" | "replaced";

/**
 * Moves a staged file to its content-addressed name, then syncs the directory so the name
 * survives a power cut. Bytes already under that name are kept only when their size and hash
 * match (a truncated file from an earlier full disk is replaced by the good copy). Synchronous
 * on purpose: called right before the document row is written, in the same tick, so a
 * concurrent delete's "is anyone still using this sha?" cannot fall between.
 */
export function commitStagedFile(dataDir: string, staged: StagedFile): CommitOutcome {
  const target = storedFilePath(dataDir, staged.sha256);
  const existing = existsSync(target);
  if (existing && checkStoredFile(target, staged.sha256, staged.sizeBytes).ok) {
    rmSync(staged.tmpPath, { force: true });
    return "kept";
  }
  try {
    renameSync(staged.tmpPath, target);
    syncDirectory(filesDir(dataDir));
  } catch (error) {
    rmSync(staged.tmpPath, { force: true });
    if (isDiskFullError(error)) throw insufficientStorage();
    throw error;
  }
  return existing ? "replaced" : "stored";
}

/** fsync of a directory: makes a rename or an unlink in it durable. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type StoredFileCheck = { ok: boolean; sizeBytes: number; sha256: string };

/** Reads a stored file whole (synchronously, 1 MB at a time): does it hold `sha256` (and `sizeBytes`)? */
export function checkStoredFile(path: string, sha256: string, sizeBytes?: number): StoredFileCheck {
  const size = statSync(path).size;
  if (sizeBytes !== undefined && size !== sizeBytes) return { ok: false, sizeBytes: size, sha256: "" };
  const hasher = new Bun.CryptoHasher("sha256");
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hasher.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  const actual = hasher.digest("hex");
  return { ok: actual === sha256, sizeBytes: size, sha256: actual };
}

export function discardStagedFile(staged: StagedFile): void {
  rmSync(staged.tmpPath, { force: true });
}

/**
 * Deletes the stored bytes of `sha256` when no document of any organisation refers to them, nor
 * an e-mail's attachment (a mailed invoice PDF that came back through the inbox is the same file)
 * or an organisation's logo.
 */
export function deleteFileIfUnused(db: Queryable, dataDir: string, sha256: string): boolean {
  const used = db.select({ id: documents.id }).from(documents).where(eq(documents.sha256, sha256)).limit(1).get();
  if (used) return false;
  const attached = db
    .select({ id: mailAttachments.id })
    .from(mailAttachments)
    .where(eq(mailAttachments.sha256, sha256))
    .limit(1)
    .get();
  if (attached) return false;
  const logo = db
    .select({ orgId: organizationLogos.orgId })
    .from(organizationLogos)
    .where(eq(organizationLogos.sha256, sha256))
    .limit(1)
    .get();
  if (logo) return false;
  try {
    unlinkSync(storedFilePath(dataDir, sha256));
    return true;
  } catch {
    return false;
  }
}

/** Removes uploads a stopped process left half-written. */
export function clearStagedFiles(dataDir: string): void {
  const dir = tmpDir(dataDir);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.endsWith(".part")) rmSync(join(dir, name), { force: true });
}
