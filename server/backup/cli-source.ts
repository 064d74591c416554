import { existsSync, readFileSync } from "node:fs";
import { CliFailure } from "../cli-context.ts";
import type { Config } from "../config.ts";
import { databasePath, openDatabase } from "../db.ts";
import { createKeyring } from "../tools/secrets.ts";
import { type BackupKey, parseIdentity } from "./key.ts";
import { type BackupTarget, DEFAULT_BACKUP_RETENTION_DAYS, readBackupTarget } from "./settings.ts";

/** Where to restore from when the settings are gone with the data directory. */
export type SourceOptions = {
  bucket?: string;
  endpoint?: string;
  region?: string;
  path?: string;
  pathStyle?: boolean;
  directory?: string;
  /** The downloaded backup key file. */
  key?: string;
};

/**
 * The replicas to restore from: the options when any is given (credentials from
 * OPSBOX_BACKUP_ACCESS_KEY_ID / OPSBOX_BACKUP_SECRET_ACCESS_KEY), else the settings stored in the
 * data directory's database.
 */
export async function restoreSource(config: Config, options: SourceOptions): Promise<BackupTarget> {
  const given = await givenKey(config, options);
  const target = storedOrNamedSource(config, options);
  return given ? { ...target, key: given } : target;
}

/**
 * The key from --key FILE, else OPSBOX_BACKUP_KEY, else null (the box's own then, when its
 * settings are read).
 */
async function givenKey(config: Config, options: SourceOptions): Promise<BackupKey | null> {
  let text = config.backup.restoreKey;
  let from = "OPSBOX_BACKUP_KEY";
  if (options.key) {
    from = `--key ${options.key}`;
    try {
      text = readFileSync(options.key, "utf8");
    } catch {
      throw new CliFailure(`${from}: cannot read the file.`);
    }
  }
  if (text === null) return null;
  const identity = parseIdentity(text);
  if (!identity) throw new CliFailure(`${from}: no backup key (a line starting AGE-SECRET-KEY-1) in it.`);
  try {
    const { identityToRecipient } = await import("age-encryption");
    return { identity, recipient: await identityToRecipient(identity) };
  } catch {
    throw new CliFailure(`${from}: the backup key is malformed.`);
  }
}

function storedOrNamedSource(config: Config, options: SourceOptions): BackupTarget {
  if (options.bucket || options.directory) {
    const { restoreAccessKeyId, restoreSecretAccessKey } = config.backup;
    if (options.bucket && (!restoreAccessKeyId || !restoreSecretAccessKey))
      throw new CliFailure("Set OPSBOX_BACKUP_ACCESS_KEY_ID and OPSBOX_BACKUP_SECRET_ACCESS_KEY to read the bucket.");
    return {
      s3:
        options.bucket && restoreAccessKeyId && restoreSecretAccessKey
          ? {
              bucket: options.bucket,
              path: options.path ?? "opsbox",
              region: options.region ?? "us-east-1",
              endpoint: options.endpoint ?? null,
              forcePathStyle: options.pathStyle ?? false,
              accessKeyId: restoreAccessKeyId,
              secretAccessKey: restoreSecretAccessKey,
            }
          : null,
      directory: options.directory ?? null,
      retentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
      key: null,
    };
  }
  const path = databasePath(config.dataDir);
  if (!existsSync(path))
    throw new CliFailure(
      "There is no database here to read the backup settings from: name the replica with --bucket (and --endpoint, --path) or --directory.",
    );
  const db = openDatabase(path, { readonly: true });
  try {
    const target = readBackupTarget(db, createKeyring(config.secretKey, config.previousSecretKeys));
    if (!target)
      throw new CliFailure("Backups are not set up on this box: name the replica with --bucket or --directory.");
    return target;
  } finally {
    db.$client.close();
  }
}
