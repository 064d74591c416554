import { eq } from "drizzle-orm";
import { z } from "zod";
import { organizations } from "../../models/identity.ts";
import { instanceSettings } from "../../models/instance.ts";
import { type ComplianceLevel, compliancePresets } from "../../models/security-policy.ts";
import type { Queryable } from "../db.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";
import { type BackupKey, readBackupKey } from "./key.ts";

export const BACKUP_SETTINGS_KEY = "backups";
export const DEFAULT_BACKUP_RETENTION_DAYS = 30;
const SECRET_CONTEXT = "settings.backups.secretAccessKey";

/** The fields of enabled backups, before the checks across fields (Settings → Backups keeps a stored secret). */
export const enabledBackupFields = z.object({
  enabled: z.literal(true),
  bucket: z.string().trim().min(3, "Enter the bucket name.").optional(),
  endpoint: z.url("Enter the S3 endpoint URL.").optional(),
  region: z.string().trim().min(1).default("us-east-1"),
  path: z.string().trim().default("opsbox"),
  accessKeyId: z.string().trim().min(1, "Enter the access key id.").optional(),
  secretAccessKey: z.string().min(1, "Enter the secret access key.").optional(),
  /** Bucket in the URL path rather than the host name: MinIO, Garage and most self-hosted stores want it. */
  forcePathStyle: z.boolean().default(false),
  /** A local or mounted directory (a USB disk, a NAS share) that receives a second replica. */
  directory: z
    .string()
    .trim()
    .refine((path) => path.startsWith("/"), "Enter an absolute path, like /mnt/usb/opsbox.")
    .optional(),
  retentionDays: z.coerce.number().int().min(1).max(3650).optional(),
});

/** A bucket or a directory; a bucket with its access key id (and, unless one is kept, its secret). */
export function checkBackupReplicas(
  input: z.infer<typeof enabledBackupFields>,
  ctx: z.RefinementCtx,
  options: { secretKept?: boolean } = {},
): void {
  if (!input.bucket && !input.directory)
    ctx.addIssue({ code: "custom", path: ["bucket"], message: "Enter the bucket name, or a backup directory." });
  if (input.bucket && !input.accessKeyId)
    ctx.addIssue({ code: "custom", path: ["accessKeyId"], message: "Enter the access key id." });
  if (input.bucket && !input.secretAccessKey && !options.secretKept)
    ctx.addIssue({ code: "custom", path: ["secretAccessKey"], message: "Enter the secret access key." });
}

const enabledBackups = enabledBackupFields.superRefine((input, ctx) => checkBackupReplicas(input, ctx));

/** Backups as typed at setup (wizard, API, CLI): an S3-compatible bucket, a directory, or both. */
export const backupSettingsInput = z.discriminatedUnion("enabled", [
  z.object({ enabled: z.literal(false) }),
  enabledBackups,
]);
export type BackupSettingsInput = z.infer<typeof backupSettingsInput>;

/** As stored: the secret key sealed. Settings stored before directories and retention read with their defaults. */
export const storedBackupSettings = z.discriminatedUnion("enabled", [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    bucket: z.string().optional(),
    endpoint: z.string().optional(),
    region: z.string().default("us-east-1"),
    path: z.string().default("opsbox"),
    accessKeyId: z.string().optional(),
    secretAccessKeyEncrypted: z.string().nullish(),
    forcePathStyle: z.boolean().default(false),
    directory: z.string().optional(),
    retentionDays: z.number().int().positive().optional(),
  }),
]);

export type S3Replica = {
  bucket: string;
  path: string;
  region: string;
  endpoint: string | null;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
};

/**
 * What the supervisor, restore and verify need, with the secrets decrypted (in memory only).
 * `key` encrypts the replicas; null only before the box's backups first ran (or in a restore
 * given no key, which then reads only unencrypted backups).
 */
export type BackupTarget = {
  s3: S3Replica | null;
  directory: string | null;
  retentionDays: number;
  key: BackupKey | null;
};

/** The stored form of `input`: the secret access key encrypted with the keyring. */
export function sealBackupSettings(keyring: Keyring, input: BackupSettingsInput): unknown {
  if (!input.enabled) return input;
  const { secretAccessKey, ...rest } = input;
  return {
    ...rest,
    ...(secretAccessKey ? { secretAccessKeyEncrypted: encryptSecret(keyring, secretAccessKey, SECRET_CONTEXT) } : {}),
  };
}

/** The box's backup target, or null when backups are off (or were never set up). */
export function readBackupTarget(db: Queryable, keyring: Keyring): BackupTarget | null {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, BACKUP_SETTINGS_KEY)).get();
  if (!row) return null;
  const stored = storedBackupSettings.parse(row.value);
  if (!stored.enabled) return null;
  const s3 =
    stored.bucket && stored.accessKeyId && stored.secretAccessKeyEncrypted
      ? {
          bucket: stored.bucket,
          path: stored.path,
          region: stored.region,
          endpoint: stored.endpoint ?? null,
          forcePathStyle: stored.forcePathStyle,
          accessKeyId: stored.accessKeyId,
          secretAccessKey: decryptSecret(keyring, stored.secretAccessKeyEncrypted, SECRET_CONTEXT),
        }
      : null;
  const floor = retentionFloorDays(db);
  const retentionDays = Math.max(stored.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS, floor ?? 0);
  if (!s3 && !stored.directory) return null;
  return { s3, directory: stored.directory ?? null, retentionDays, key: readBackupKey(db, keyring) };
}

/** The longest backup retention any organisation's compliance preset asks for, or null when none does. */
export function retentionFloorDays(db: Queryable): number | null {
  const levels = db.selectDistinct({ level: organizations.complianceLevel }).from(organizations).all();
  const floors = levels
    .map(({ level }) => compliancePresets[level as ComplianceLevel]?.backupRetentionDays ?? null)
    .filter((days): days is number => days !== null);
  return floors.length === 0 ? null : Math.max(...floors);
}
