import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNotNull, lt } from "drizzle-orm";
import { backupFiles } from "../../../models/backup.ts";
import type { Queryable } from "../../db.ts";
import { filesDir, isSha256 } from "../../knowledge/upload/files.ts";
import type { Keyring } from "../../tools/secrets.ts";
import { type BackupTarget, readBackupTarget } from "../settings.ts";
import { fileStores } from "./stores.ts";

/** Which uploaded files each replica holds, confirmed by reading them back (the backup_files table). */

/** The stored files of the data directory, by sha256 (half-written uploads in files/tmp/ left out). */
export function localFiles(dataDir: string): string[] {
  const dir = filesDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => isSha256(name) && statSync(join(dir, name)).isFile());
}

/** sha256 → when it left the box (null while it is here), for every file confirmed on `replica`. */
export function confirmedFiles(db: Queryable, replica: string): Map<string, Date | null> {
  const rows = db
    .select({ sha256: backupFiles.sha256, goneSince: backupFiles.goneSince })
    .from(backupFiles)
    .where(eq(backupFiles.replica, replica))
    .all();
  return new Map(rows.map((row) => [row.sha256, row.goneSince]));
}

export function confirmFile(db: Queryable, replica: string, sha256: string, sizeBytes: number, now: Date): void {
  db.insert(backupFiles)
    .values({ replica, sha256, sizeBytes, confirmedAt: now, goneSince: null })
    .onConflictDoUpdate({
      target: [backupFiles.replica, backupFiles.sha256],
      set: { sizeBytes, confirmedAt: now, goneSince: null },
    })
    .run();
}

/** Records which confirmed files left the box (from now) and which came back. */
export function markGoneFiles(db: Queryable, replica: string, local: Set<string>, now: Date): void {
  for (const [sha256, goneSince] of confirmedFiles(db, replica)) {
    const here = local.has(sha256);
    if (here === (goneSince === null)) continue;
    db.update(backupFiles)
      .set({ goneSince: here ? null : now })
      .where(and(eq(backupFiles.replica, replica), eq(backupFiles.sha256, sha256)))
      .run();
  }
}

/** Files gone from the box for longer than the retention window: their copies may go too. */
export function expiredFiles(db: Queryable, replica: string, before: Date): string[] {
  return db
    .select({ sha256: backupFiles.sha256 })
    .from(backupFiles)
    .where(and(eq(backupFiles.replica, replica), isNotNull(backupFiles.goneSince), lt(backupFiles.goneSince, before)))
    .all()
    .map((row) => row.sha256);
}

export function forgetFile(db: Queryable, replica: string, sha256: string): void {
  db.delete(backupFiles)
    .where(and(eq(backupFiles.replica, replica), eq(backupFiles.sha256, sha256), isNotNull(backupFiles.goneSince)))
    .run();
}

/** "N files, M waiting": the box's stored files, and how many are not yet confirmed on every replica. */
export type FileBackupCounts = { files: number; waiting: number };

/** For status (CLI, Settings): counts from the data directory and the confirmations, no replica contacted. */
export function fileBackupCounts(db: Queryable, dataDir: string, target: BackupTarget): FileBackupCounts {
  const local = localFiles(dataDir);
  const confirmed = fileStores(target).map((store) => confirmedFiles(db, store.replica));
  const waiting = local.filter((sha256) => confirmed.some((known) => !known.has(sha256))).length;
  return { files: local.length, waiting };
}

/** Files on every replica and files waiting to be copied, as the console, the API and /metrics show them. */
export type FileCopyCounts = { copied: number; waiting: number };

/** The counts for the backups as set up now; null while they are off or their settings cannot be read. */
export function fileCopyCounts(db: Queryable, keyring: Keyring, dataDir: string): FileCopyCounts | null {
  let target: BackupTarget | null;
  try {
    target = readBackupTarget(db, keyring);
  } catch {
    return null; // the supervisor reports the unreadable settings
  }
  if (!target) return null;
  const { files, waiting } = fileBackupCounts(db, dataDir, target);
  return { copied: files - waiting, waiting };
}
