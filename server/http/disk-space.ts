import { closeSync, openSync, rmSync, statfsSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "./errors.ts";

/**
 * A full disk is an answer, never a crash: ENOSPC and SQLITE_FULL become 507
 * `insufficient_storage`, and a reserve file keeps room for the writes that free space.
 */

/** Bytes free for the process on the file system that holds `dir`. */
export function freeDiskBytes(dir: string): number {
  const stats = statfsSync(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}

/** Size of the file system that holds `dir`. */
export function diskSizeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return Number(stats.blocks) * Number(stats.bsize);
}

/** What a console form says when a full disk refused it; the form keeps what was typed. */
export const DISK_FULL_FORM_MESSAGE =
  "The disk is full, so nothing was saved. What you typed is still here: ask an admin to free some space, then save again.";

/**
 * True when `error`, or what it wraps (drizzle wraps SQLite's errors in `cause`), says the disk
 * is full: ENOSPC (or EDQUOT) from the file system, SQLITE_FULL from SQLite.
 */
export function isDiskFullError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL") return true;
    if (current instanceof AppError && current.code === "insufficient_storage") return true;
    current = current.cause;
  }
  return false;
}

/** The 507 for a full disk (or one below the configured minimum), naming the cause. */
export function insufficientStorage(
  message = "The disk of this Opsbox is full, so nothing was saved. Delete documents you no longer need, or ask an administrator to free space.",
): AppError {
  return new AppError("insufficient_storage", message);
}

export const RESERVE_FILE = "disk-reserve";
const MIN_RESERVE_BYTES = 1024 * 1024;
const MAX_RESERVE_BYTES = 8 * 1024 * 1024;

/** 1% of the disk, between 1 and 8 MB: room for the database writes of a few deletes. */
function reserveBytes(dataDir: string): number {
  return Math.min(MAX_RESERVE_BYTES, Math.max(MIN_RESERVE_BYTES, Math.floor(diskSizeBytes(dataDir) / 100)));
}

/**
 * Makes sure `<data dir>/disk-reserve` holds its bytes, while that leaves as much free again:
 * the room a delete needs on a full disk (see withDiskReserve). False when there is no room
 * (or the data directory cannot be written); it never throws, so callers can try it anywhere.
 */
export function ensureDiskReserve(dataDir: string): boolean {
  const path = join(dataDir, RESERVE_FILE);
  try {
    const size = reserveBytes(dataDir);
    let have = 0;
    try {
      have = statSync(path).size;
    } catch {}
    if (have >= size) return true;
    if (freeDiskBytes(dataDir) < 2 * (size - have)) return false;
    fillReserve(path, have, size);
    return true;
  } catch {
    rmSync(path, { force: true });
    return false;
  }
}

function fillReserve(path: string, from: number, size: number): void {
  const fd = openSync(path, "a", 0o600);
  try {
    // Written, not sparse: only blocks really allocated are freed again by the release.
    const block = Buffer.alloc(64 * 1024);
    for (let at = from; at < size; at += block.length) writeSync(fd, block, 0, Math.min(block.length, size - at));
  } finally {
    closeSync(fd);
  }
}

/** Frees the reserve; true when there was one. */
export function releaseDiskReserve(dataDir: string): boolean {
  const path = join(dataDir, RESERVE_FILE);
  try {
    statSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

/**
 * Runs a write that frees space (a delete). When the disk is too full even for that, the
 * reserve is released and the write tried once more; the reserve comes back once there is
 * room for it. Synchronous, so nothing else takes the released room in between.
 */
export function withDiskReserve<T>(dataDir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!isDiskFullError(error) || !releaseDiskReserve(dataDir)) throw error;
  }
  const result = write();
  ensureDiskReserve(dataDir);
  return result;
}
