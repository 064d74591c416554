import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";
import { restoreFiles } from "./files/restore-files.ts";
import { backupDir } from "./litestream-config.ts";
import type { LitestreamJob } from "./litestream-run.ts";
import { type RestoredDatabase, restoreDatabase } from "./restore.ts";

const VERIFICATION_KEY = "backups.lastVerification";

const verification = z.object({
  at: z.string(),
  ok: z.boolean(),
  message: z.string(),
  replica: z.string().nullable(),
  generation: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  /** The uploaded files of the restored database: restored and matching their checksums, or not. Absent before files were backed up. */
  files: z.object({ checked: z.number(), missing: z.number(), damaged: z.number() }).nullish(),
});
export type Verification = z.infer<typeof verification>;

/**
 * A full test restore of the latest backup into a temporary folder of the data directory:
 * the database, checked with `PRAGMA integrity_check`, and every file it refers to, checked
 * against its sha256; then deleted. The result is recorded for status.
 */
export async function verifyBackups(db: Queryable, job: LitestreamJob, now = new Date()): Promise<Verification> {
  mkdirSync(backupDir(job.dataDir), { recursive: true, mode: 0o700 });
  const workDir = mkdtempSync(join(backupDir(job.dataDir), "verify-"));
  let result: Verification;
  try {
    const restored: RestoredDatabase = await restoreDatabase(
      { ...job, workDir },
      { outputPath: join(workDir, "opsbox.db") },
    );
    const files = restored.integrity === "ok" ? await restoreFiles(restored.path, workDir, job.target) : null;
    const bad = files ? files.missing.length + files.damaged.length : 0;
    const ok = restored.integrity === "ok" && bad === 0;
    result = {
      at: now.toISOString(),
      ok,
      message: !files
        ? `Integrity check: ${restored.integrity}`
        : bad > 0
          ? `${files.missing.length} file(s) missing and ${files.damaged.length} damaged of ${files.referenced}.`
          : `Restored, passed the integrity check, and its ${files.referenced} file(s) matched their checksums.`,
      replica: restored.replica,
      generation: restored.generation,
      sizeBytes: restored.sizeBytes,
      files: files && {
        checked: files.referenced,
        missing: files.missing.length,
        damaged: files.damaged.length,
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { at: now.toISOString(), ok: false, message, replica: null, generation: null, sizeBytes: null };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  db.insert(instanceSettings)
    .values({ key: VERIFICATION_KEY, value: result, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: result, updatedAt: now } })
    .run();
  return result;
}

/** The last test restore's result, or null when none was made. */
export function lastVerification(db: Queryable): Verification | null {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, VERIFICATION_KEY)).get();
  const parsed = verification.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}
