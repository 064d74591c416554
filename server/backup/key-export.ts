import { z } from "zod";
import { recordAudit } from "../audit/service.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Keyring } from "../tools/secrets.ts";
import type { BackupActor } from "./actor.ts";
import { backupKeyStatus, exportBackupKey } from "./key.ts";
import { readBackupTarget } from "./settings.ts";

/** The name the key file is downloaded as, from the console and the API. */
export const BACKUP_KEY_FILE_NAME = "opsbox-backup-key.txt";

/** The console's one field: the person says they will keep the key, since it comes only once. */
export const backupKeyDownloadForm = z.object({
  keepOffline: z.literal(true, "Tick this box first: the key can be downloaded only once."),
});

/**
 * The backup key as an age identity file, once, for the box's instance admin (console, API, CLI),
 * recorded in the audit log (`backups.key_exported`). 409 when it was downloaded before, or when
 * there is no key yet and backups are off (a key is made when they first run).
 */
export async function exportBackupKeyOnce(db: Queryable, keyring: Keyring, actor: BackupActor): Promise<string> {
  if (!backupKeyStatus(db).exists && !readBackupTarget(db, keyring))
    throw new AppError("conflict", "Backups are not set up on this box: the key is made when they first run.");
  const file = await exportBackupKey(db, keyring);
  recordAudit(db, {
    orgId: null,
    action: "backups.key_exported",
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    targetType: "instance",
    meta: actor.meta,
  });
  return file;
}
