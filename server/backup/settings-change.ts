import { eq } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import { recordAudit } from "../audit/service.ts";
import type { Db, Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import type { Keyring } from "../tools/secrets.ts";
import type { BackupActor } from "./actor.ts";
import {
  BACKUP_SETTINGS_KEY,
  checkBackupReplicas,
  DEFAULT_BACKUP_RETENTION_DAYS,
  enabledBackupFields,
  retentionFloorDays,
  sealBackupSettings,
  storedBackupSettings,
} from "./settings.ts";

/**
 * Backups as Settings → Backups and `PUT /api/v1/backups/settings` change them: the setup input,
 * except that a blank secret access key keeps the stored one.
 */
export const backupSettingsUpdate = z.discriminatedUnion("enabled", [
  z.object({ enabled: z.literal(false) }),
  enabledBackupFields.superRefine((input, ctx) => checkBackupReplicas(input, ctx, { secretKept: true })),
]);
export type BackupSettingsUpdate = z.infer<typeof backupSettingsUpdate>;

/** The stored settings as shown back: every field but the secret, which is only said to be there. */
export const backupSettingsViewSchema = z.object({
  enabled: z.boolean(),
  bucket: z.string().nullable(),
  endpoint: z.string().nullable(),
  region: z.string(),
  path: z.string(),
  accessKeyId: z.string().nullable(),
  secretAccessKeySet: z.boolean().describe("Whether a secret access key is stored; it is never sent back."),
  forcePathStyle: z.boolean(),
  directory: z.string().nullable(),
  retentionDays: z.number().int().describe("Days of snapshots kept, as typed (30 when never set)."),
  retentionFloorDays: z
    .number()
    .int()
    .nullable()
    .describe("The longest retention an organisation's compliance preset asks for; a shorter one is raised to it."),
});
export type BackupSettingsView = z.infer<typeof backupSettingsViewSchema>;

/** The stored fields of enabled backups, read from a stored value whether backups are on or off. */
const storedFields = z.object({ ...storedBackupSettings.options[1].shape, enabled: z.boolean() });
type StoredFields = z.infer<typeof storedFields>;

function readStored(db: Queryable): StoredFields | null {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, BACKUP_SETTINGS_KEY)).get();
  const parsed = storedFields.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}

/** The box's backup settings without the secret; backups off and empty when never set up. */
export function backupSettingsView(db: Queryable): BackupSettingsView {
  const stored = readStored(db);
  return {
    enabled: stored?.enabled ?? false,
    bucket: stored?.bucket ?? null,
    endpoint: stored?.endpoint ?? null,
    region: stored?.region ?? "us-east-1",
    path: stored?.path ?? "opsbox",
    accessKeyId: stored?.accessKeyId ?? null,
    secretAccessKeySet: Boolean(stored?.bucket && stored.secretAccessKeyEncrypted),
    forcePathStyle: stored?.forcePathStyle ?? false,
    directory: stored?.directory ?? null,
    retentionDays: stored?.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
    retentionFloorDays: retentionFloorDays(db),
  };
}

/**
 * Stores new backup settings, the secret encrypted with the keyring. A blank secret keeps the
 * stored one (while a bucket is set); turning backups off keeps the replica settings for later.
 * The caller applies them (`applyBackupSettings`).
 */
export function changeBackupSettings(
  db: Db,
  keyring: Keyring,
  actor: BackupActor,
  input: BackupSettingsUpdate,
  now = new Date(),
): BackupSettingsView {
  const previous = readStored(db);
  let value: unknown;
  if (!input.enabled) {
    value = previous ? { ...previous, enabled: false } : { enabled: false };
  } else {
    const kept = input.bucket && !input.secretAccessKey ? (previous?.secretAccessKeyEncrypted ?? null) : null;
    if (input.bucket && !input.secretAccessKey && !kept)
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "secretAccessKey", message: "Enter the secret access key." },
      ]);
    value = { ...(sealBackupSettings(keyring, input) as object), ...(kept ? { secretAccessKeyEncrypted: kept } : {}) };
  }
  db.transaction((tx) => {
    tx.insert(instanceSettings)
      .values({ key: BACKUP_SETTINGS_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
      .run();
    recordAudit(
      tx,
      {
        orgId: null,
        action: "backups.settings_changed",
        actorUserId: actor.userId,
        actorApiKeyId: actor.apiKeyId,
        targetType: "instance",
        details: {
          enabled: input.enabled,
          ...(input.enabled
            ? {
                bucket: input.bucket ?? null,
                directory: input.directory ?? null,
                secretChanged: !!input.secretAccessKey,
              }
            : {}),
        },
        meta: actor.meta,
      },
      now,
    );
  });
  return backupSettingsView(db);
}
