import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Keyring } from "../tools/secrets.ts";
import { ensureBackupKey } from "./key.ts";
import { backupDir } from "./litestream-config.ts";
import { readBackupTarget } from "./settings.ts";

/** Makes the backup key the first time backups are on; a no-op afterwards or while they are off. */
export async function ensureKeyWhenEnabled(db: Db, keyring: Keyring, log: Logger): Promise<void> {
  try {
    const target = readBackupTarget(db, keyring);
    if (!target || target.key) return;
    const key = await ensureBackupKey(db, keyring);
    log.info({ recipient: key.recipient }, "backups: made the backup encryption key; download it once in Settings");
  } catch (error) {
    // The supervisor reports unreadable settings itself; a key that cannot be made waits for the next apply.
    log.error({ err: error }, "backups: cannot make the backup key");
  }
}

function encryptedForPath(dataDir: string): string {
  return join(backupDir(dataDir), "encrypted-for");
}

/**
 * Litestream goes on with its current generation across restarts, and a generation must not mix
 * plain and encrypted segments (a restore decrypts all or nothing). So when the key Litestream
 * encrypts for changes (the first start after the key was made), the WAL is folded into the
 * database first: Litestream then begins a new generation, encrypted from its snapshot on.
 * Call it with Litestream stopped.
 */
export function foldWalWhenKeyChanged(db: Db, dataDir: string, recipient: string | null, log: Logger): void {
  let previous: string | null = null;
  try {
    previous = readFileSync(encryptedForPath(dataDir), "utf8").trim() || null;
  } catch {
    // Never written: a box that replicated before its backups were encrypted, or never replicated.
  }
  if (previous === recipient) return;
  const [checkpoint] = db.$client.query<{ busy: number }, []>("PRAGMA wal_checkpoint(TRUNCATE)").all();
  if (checkpoint?.busy) log.warn("backups: the WAL could not be folded in for the new backup key");
  writeFileSync(encryptedForPath(dataDir), recipient ?? "", { mode: 0o600 });
}
