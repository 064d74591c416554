import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkStoredFile, filesDir, isSha256, syncDirectory } from "../../knowledge/upload/files.ts";
import type { BackupTarget } from "../settings.ts";
import { decryptFile, sha256Of, WrongBackupKeyError } from "./age-file.ts";
import { type FileStore, fileStores } from "./stores.ts";

/** What a restore did with the files a restored database refers to. */
export type RestoredFiles = {
  /** Files the database's documents refer to. */
  referenced: number;
  restored: number;
  /** Already in the target directory with the right bytes: left as they were. */
  present: number;
  /** On no replica (or no replica could be read): sha256 and why. */
  missing: { sha256: string; reason: string }[];
  /** On a replica, but their bytes do not hash to their name. */
  damaged: string[];
};

/** Raised when the files cannot be read at all: no key, or the wrong one. */
export class FileRestoreError extends Error {
  override name = "FileRestoreError";
}

/**
 * Brings back every file the documents of the database at `databasePath` refer to, into
 * `<dataDir>/files/`, from the first replica that has it: decrypted with the backup key and
 * checked against its content address (and the size its documents record) before it is
 * renamed into place.
 */
export async function restoreFiles(
  databasePath: string,
  dataDir: string,
  target: BackupTarget,
): Promise<RestoredFiles> {
  const wanted = referencedFiles(databasePath);
  const report: RestoredFiles = { referenced: wanted.length, restored: 0, present: 0, missing: [], damaged: [] };
  if (wanted.length === 0) return report;
  if (!target.key)
    throw new FileRestoreError(
      "The backed-up files are encrypted: give the backup key with --key FILE or OPSBOX_BACKUP_KEY.",
    );
  const stores = fileStores(target);
  const dir = filesDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { sha256, sizeBytes } of wanted) {
    const path = join(dir, sha256);
    if (existsSync(path) && checkStoredFile(path, sha256, sizeBytes).ok) {
      report.present += 1;
      continue;
    }
    const found = await fetchFile(stores, sha256, sizeBytes, target.key.identity);
    if ("bytes" in found) {
      const partial = `${path}.restoring`;
      writeFileSync(partial, found.bytes, { mode: 0o600, flush: true });
      renameSync(partial, path);
      report.restored += 1;
    } else if (found.damaged) report.damaged.push(sha256);
    else report.missing.push({ sha256, reason: found.reason });
  }
  syncDirectory(dir);
  return report;
}

type Fetched = { bytes: Uint8Array } | { damaged: true } | { damaged: false; reason: string };

async function fetchFile(stores: FileStore[], sha256: string, sizeBytes: number, identity: string): Promise<Fetched> {
  let result: Fetched = { damaged: false, reason: "on no replica" };
  for (const store of stores) {
    let stored: Uint8Array | null;
    try {
      stored = await store.get(sha256);
    } catch (error) {
      result = { damaged: false, reason: `the ${store.name} replica cannot be read: ${messageOf(error)}` };
      continue;
    }
    if (!stored) continue;
    let bytes: Uint8Array;
    try {
      bytes = await decryptFile(identity, stored);
    } catch (error) {
      if (error instanceof WrongBackupKeyError)
        throw new FileRestoreError("The backup key given does not open these backups: it is another box's key.");
      result = { damaged: true };
      continue;
    }
    if (sha256Of(bytes) === sha256 && bytes.byteLength === sizeBytes) return { bytes };
    result = { damaged: true };
  }
  return result;
}

/** The distinct files a database's documents refer to, with the size they record. */
function referencedFiles(databasePath: string): { sha256: string; sizeBytes: number }[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const hasDocuments = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").get();
    if (!hasDocuments) return [];
    return db
      .query<{ sha256: string; sizeBytes: number }, []>(
        "SELECT sha256, max(size_bytes) AS sizeBytes FROM documents GROUP BY sha256 ORDER BY sha256",
      )
      .all()
      .filter((row) => isSha256(row.sha256));
  } finally {
    db.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
