import { z } from "zod";
import type { AppDeps } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { litestreamJobOrConflict } from "./jobs.ts";
import { type BackupListing, listBackups } from "./list.ts";

/** A store that does not answer must not hold a request: Litestream's own retries take longer. */
const LISTING_TIMEOUT_MS = 30_000;

export const snapshotSchema = z.object({
  replica: z.string(),
  generation: z.string(),
  index: z.number().int(),
  sizeBytes: z.number().int(),
  createdAt: z.string().describe("When Litestream took it (ISO 8601 UTC)."),
});

/**
 * Every generation and snapshot on every replica, newest first. It runs the litestream binary
 * (a listing of the bucket or directory): 409 while backups are off, 503 when the replicas cannot
 * be read in time.
 */
export async function readBackupListing(
  deps: Pick<AppDeps, "config" | "db" | "keyring">,
  timeoutMs = LISTING_TIMEOUT_MS,
): Promise<BackupListing> {
  const job = litestreamJobOrConflict(deps);
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const listing = await Promise.race([listBackups(job), timeout]);
    const newestFirst = (a: string, b: string) => b.localeCompare(a);
    return {
      generations: listing.generations.toSorted((a, b) => newestFirst(a.end, b.end)),
      snapshots: listing.snapshots.toSorted((a, b) => newestFirst(a.createdAt, b.createdAt)),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError("unavailable", `The replicas cannot be listed: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}
