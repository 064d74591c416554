import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { documents } from "../../models/knowledge.ts";
import type { Queryable } from "../db.ts";
import { formatBytes } from "../http/body-limit.ts";
import { AppError } from "../http/errors.ts";

/**
 * Uploaded bytes live in `<data dir>/files/<sha256>`: content-addressed, outside anything
 * served, and shared by every organisation that uploads the same bytes (so a file goes only
 * when no document anywhere names its sha256). Uploads are written to `files/tmp/` first and
 * renamed into place, so a half-written file never has a real name.
 */

export function filesDir(dataDir: string): string {
  return join(dataDir, "files");
}

function tmpDir(dataDir: string): string {
  return join(filesDir(dataDir), "tmp");
}

/** Where the bytes of `sha256` are kept (the name is checked: it must be 64 hex digits). */
export function storedFilePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a sha256");
  return join(filesDir(dataDir), sha256);
}

/** Bytes written to a temporary file, hashed and counted on the way. */
export type StagedFile = { tmpPath: string; sha256: string; sizeBytes: number; head: Uint8Array };

const HEAD_BYTES = 64 * 1024;

/**
 * Streams `source` to a temporary file, hashing as it goes; 413 (and nothing left behind) as
 * soon as it passes `maxBytes`. The first 64 KB come back for sniffing the type.
 */
export async function stageFile(
  dataDir: string,
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<StagedFile> {
  mkdirSync(tmpDir(dataDir), { recursive: true, mode: 0o700 });
  const tmpPath = join(tmpDir(dataDir), `${crypto.randomUUID()}.part`);
  const writer = Bun.file(tmpPath).writer();
  const hasher = new Bun.CryptoHasher("sha256");
  const head = new Uint8Array(HEAD_BYTES);
  let headLength = 0;
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new AppError(
          "payload_too_large",
          `The file is larger than the upload limit of ${formatBytes(maxBytes)}.`,
        );
      }
      if (headLength < HEAD_BYTES) {
        const take = chunk.subarray(0, HEAD_BYTES - headLength);
        head.set(take, headLength);
        headLength += take.byteLength;
      }
      hasher.update(chunk);
      writer.write(chunk);
    }
    await writer.end();
  } catch (error) {
    await Promise.resolve(writer.end()).catch(() => {});
    rmSync(tmpPath, { force: true });
    throw error;
  }
  return { tmpPath, sha256: hasher.digest("hex"), sizeBytes: size, head: head.slice(0, headLength) };
}

/** Stages bytes already in memory (an e-mail's attachment). */
export function stageBytes(dataDir: string, bytes: Uint8Array): Promise<StagedFile> {
  return stageFile(dataDir, new Blob([new Uint8Array(bytes)]).stream(), Number.MAX_SAFE_INTEGER);
}

/**
 * Moves a staged file to its content-addressed name (or drops it when those bytes are stored
 * already). Synchronous on purpose: called right before the document row is written, in the
 * same tick, so a concurrent delete's "is anyone still using this sha?" cannot fall between.
 */
export function commitStagedFile(dataDir: string, staged: StagedFile): void {
  const target = storedFilePath(dataDir, staged.sha256);
  if (existsSync(target)) rmSync(staged.tmpPath, { force: true });
  else renameSync(staged.tmpPath, target);
}

export function discardStagedFile(staged: StagedFile): void {
  rmSync(staged.tmpPath, { force: true });
}

/** Deletes the stored bytes of `sha256` when no document of any organisation refers to them. */
export function deleteFileIfUnused(db: Queryable, dataDir: string, sha256: string): boolean {
  const used = db.select({ id: documents.id }).from(documents).where(eq(documents.sha256, sha256)).limit(1).get();
  if (used) return false;
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
