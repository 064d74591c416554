import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../tools/secrets.ts";

/**
 * The age key that encrypts every backup (Litestream's database replicas and the uploaded
 * files). Made once, when backups first run; the identity (the secret half) is kept sealed with
 * the box's keyring and shown once, for the admin to keep offline: without it, a backup of a
 * box whose data directory is lost cannot be read.
 */

export const BACKUP_KEY_SETTING = "backups.key";
export const BACKUP_KEY_CONTEXT = "settings.backups.key.identity";

const storedKey = z.object({
  recipient: z.string(),
  identityEncrypted: z.string(),
  createdAt: z.string(),
  exportedAt: z.string().nullable(),
});

/** The key as restores and the replicas use it: the recipient encrypts, the identity decrypts. */
export type BackupKey = { recipient: string; identity: string };

/** What the Settings page shows: never the identity itself. */
export type BackupKeyStatus =
  | { exists: false }
  | { exists: true; recipient: string; createdAt: string; exportedAt: string | null };

function readStored(db: Queryable) {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.key, BACKUP_KEY_SETTING)).get();
  const parsed = storedKey.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}

/** The box's backup key, decrypted (in memory only), or null before backups first ran. */
export function readBackupKey(db: Queryable, keyring: Keyring): BackupKey | null {
  const stored = readStored(db);
  if (!stored) return null;
  return {
    recipient: stored.recipient,
    identity: decryptSecret(keyring, stored.identityEncrypted, BACKUP_KEY_CONTEXT),
  };
}

/** The box's backup key, made now when there is none yet. */
export async function ensureBackupKey(db: Queryable, keyring: Keyring, now = new Date()): Promise<BackupKey> {
  const existing = readBackupKey(db, keyring);
  if (existing) return existing;
  // X25519, not the post-quantum hybrid: Litestream 0.3's age reads only X25519 identities.
  // age-encryption on first use, not at start (about 10 MB resident).
  const { generateX25519Identity, identityToRecipient } = await import("age-encryption");
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const value = {
    recipient,
    identityEncrypted: encryptSecret(keyring, identity, BACKUP_KEY_CONTEXT),
    createdAt: now.toISOString(),
    exportedAt: null,
  };
  // Another process (the server, a command) may have made one meanwhile: the first one stays.
  db.insert(instanceSettings).values({ key: BACKUP_KEY_SETTING, value, updatedAt: now }).onConflictDoNothing().run();
  const kept = readBackupKey(db, keyring);
  if (!kept) throw new Error("the backup key could not be stored");
  return kept;
}

/** Whether the key exists and when it was downloaded; safe to show to an admin. */
export function backupKeyStatus(db: Queryable): BackupKeyStatus {
  const stored = readStored(db);
  if (!stored) return { exists: false };
  return { exists: true, recipient: stored.recipient, createdAt: stored.createdAt, exportedAt: stored.exportedAt };
}

/**
 * The key as an age identity file, once: the first call marks it exported and every later call
 * is a 409. The key is made here when backups are on but have not run yet.
 */
export async function exportBackupKey(db: Queryable, keyring: Keyring, now = new Date()): Promise<string> {
  const key = await ensureBackupKey(db, keyring, now);
  const stored = readStored(db);
  if (!stored) throw new Error("the backup key is gone");
  // Only the call that flips exportedAt from null gets the key, even with two processes at once.
  const marked = stored.exportedAt
    ? []
    : db
        .update(instanceSettings)
        .set({ value: { ...stored, exportedAt: now.toISOString() }, updatedAt: now })
        .where(
          and(
            eq(instanceSettings.key, BACKUP_KEY_SETTING),
            sql`json_extract(${instanceSettings.value}, '$.exportedAt') IS NULL`,
          ),
        )
        .returning({ key: instanceSettings.key })
        .all();
  if (marked.length !== 1) {
    const at = readStored(db)?.exportedAt ?? "an earlier request";
    throw new AppError("conflict", `The backup key was already downloaded (${at}); it is shown only once.`);
  }
  return identityFile(key, stored.createdAt);
}

/** The age identity file format (as age-keygen writes it), readable by `age -d -i` and `--key`. */
export function identityFile(key: BackupKey, createdAt: string): string {
  return [
    `# Opsbox backup key, created ${createdAt}`,
    "# Keep it offline: it decrypts this box's backups. Restore with `opsbox backup restore --key FILE`.",
    `# public key: ${key.recipient}`,
    key.identity,
    "",
  ].join("\n");
}

/** The identity in an identity file or a bare `AGE-SECRET-KEY-1…` string; null when there is none. */
export function parseIdentity(text: string): string | null {
  const line = text
    .split(/\r?\n/)
    .map((entry) => entry.trim())
    .find((entry) => entry.startsWith("AGE-SECRET-KEY-1"));
  return line ?? null;
}
