import { Database } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";
import { parseLogLine } from "./litestream-log.ts";
import { type LitestreamJob, litestreamError, runLitestream } from "./litestream-run.ts";

export type RestoredDatabase = {
  path: string;
  sizeBytes: number;
  replica: string | null;
  generation: string | null;
  /** The point in time asked for, or null for the latest. */
  timestamp: string | null;
  /** `PRAGMA integrity_check`'s answer: "ok", or its first problems. */
  integrity: string;
  tables: number;
  organizations: number | null;
  users: number | null;
};

/** Raised when a restore cannot start or Litestream fails; the message is one line for the operator. */
export class RestoreError extends Error {
  override name = "RestoreError";
}

/**
 * Restores the database from the replicas (the newest, or as of `timestamp`) into `outputPath`,
 * which must not exist, then checks it with `PRAGMA integrity_check`.
 */
export async function restoreDatabase(
  job: LitestreamJob,
  options: { outputPath: string; timestamp?: Date },
): Promise<RestoredDatabase> {
  if (existsSync(options.outputPath))
    throw new RestoreError(`${options.outputPath} already exists; move it away or restore into another directory.`);
  const timestamp = options.timestamp ? options.timestamp.toISOString() : null;
  const run = await runLitestream(job, "restore", [
    "-o",
    options.outputPath,
    ...(timestamp ? ["-timestamp", timestamp] : []),
  ]);
  if (run.code !== 0 || !existsSync(options.outputPath))
    throw new RestoreError(restoreFailure(litestreamError(run), job.target.key !== null));
  const source = `${run.stdout}\n${run.stderr}`
    .split("\n")
    .map(parseLogLine)
    .find((fields) => fields.msg === "restoring snapshot");
  return {
    path: options.outputPath,
    sizeBytes: statSync(options.outputPath).size,
    replica: source?.replica ?? null,
    generation: source?.generation ?? null,
    timestamp,
    ...inspect(options.outputPath),
  };
}

/** Litestream's words for a missing or wrong key, said as what to do about it. */
function restoreFailure(error: string, keyGiven: boolean): string {
  if (/no identity matched/i.test(error))
    return "The backup key given does not open this backup: it is another box's key.";
  if (!keyGiven && /bad magic number|age/i.test(error))
    return "The backup is encrypted: give the backup key with --key FILE or OPSBOX_BACKUP_KEY.";
  return `The restore failed: ${error}`;
}

function inspect(path: string): Pick<RestoredDatabase, "integrity" | "tables" | "organizations" | "users"> {
  const db = new Database(path, { readonly: true });
  try {
    const problems = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
    const integrity =
      problems
        .map((row) => row.integrity_check)
        .slice(0, 5)
        .join("; ") || "no answer";
    const names = db
      .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name);
    const count = (table: string) =>
      names.includes(table)
        ? (db.query<{ n: number }, []>(`SELECT count(*) AS n FROM "${table}"`).get()?.n ?? 0)
        : null;
    return { integrity, tables: names.length, organizations: count("organizations"), users: count("users") };
  } finally {
    db.close();
  }
}
