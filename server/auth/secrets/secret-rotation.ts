import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import { githubConnections } from "../../../models/github.ts";
import { ssoProviders, users } from "../../../models/identity.ts";
import { instanceSettings } from "../../../models/instance.ts";
import { mailInboxes } from "../../../models/mail-inbound.ts";
import { mailOAuthGrants } from "../../../models/mail-oauth.ts";
import { recordAudit } from "../../audit/service.ts";
import { type Config, encodeSecretKey, generateSecretKey, SECRET_KEY_FILE } from "../../config.ts";
import type { Db, Queryable } from "../../db.ts";
import {
  createKeyring,
  decryptSecret,
  encryptSecret,
  type Keyring,
  keyIdOf,
  SecretDecryptionError,
} from "../../tools/secrets.ts";

/** One stored ciphertext: where it is (no secret in that name), its context, and how to replace it. */
type SealedValue = {
  place: string;
  ciphertext: string;
  context: string;
  replace: (tx: Queryable, next: string) => void;
};

const grantColumns = {
  client_secret: "clientSecretEncrypted",
  access_token: "accessTokenEncrypted",
  refresh_token: "refreshTokenEncrypted",
} as const;

/**
 * Every place a secret is stored encrypted. A capability that adds an encrypted column or
 * setting adds it here, or `opsbox secrets rotate` leaves it under the old key.
 */
const encryptedPlaces: ((db: Queryable) => SealedValue[])[] = [
  (db) =>
    db
      .select({ id: users.id, value: users.totpKeyEncrypted })
      .from(users)
      .where(isNotNull(users.totpKeyEncrypted))
      .all()
      .map((row) => ({
        place: `users.totp:${row.id}`,
        ciphertext: row.value ?? "",
        context: `users.totp:${row.id}`,
        replace: (tx, next) => tx.update(users).set({ totpKeyEncrypted: next }).where(eq(users.id, row.id)).run(),
      })),
  (db) =>
    db
      .select({ id: ssoProviders.id, value: ssoProviders.clientSecretEncrypted })
      .from(ssoProviders)
      .all()
      .map((row) => ({
        place: `sso.client_secret:${row.id}`,
        ciphertext: row.value,
        context: `sso.client_secret:${row.id}`,
        replace: (tx, next) =>
          tx.update(ssoProviders).set({ clientSecretEncrypted: next }).where(eq(ssoProviders.id, row.id)).run(),
      })),
  ...(["client_secret", "access_token", "refresh_token"] as const).map(grantField),
  settingField("email", "passwordEncrypted", "settings.email.password"),
  settingField("email", "apiKeyEncrypted", "settings.email.apiKey"),
  settingField("email.webhooks", "resendSecretEncrypted", "settings.email.webhooks.resendSecret"),
  settingField("backups", "secretAccessKeyEncrypted", "settings.backups.secretAccessKey"),
  settingField("backups.key", "identityEncrypted", "settings.backups.key.identity"),
  (db) =>
    db
      .select({ orgId: mailInboxes.orgId, value: mailInboxes.passwordEncrypted })
      .from(mailInboxes)
      .where(isNotNull(mailInboxes.passwordEncrypted))
      .all()
      .map((row) => ({
        place: `mail_inboxes.password:${row.orgId}`,
        ciphertext: row.value ?? "",
        // As server/inbound-mail/settings.ts seals it.
        context: `mail_inboxes.password:${row.orgId}`,
        replace: (tx, next) =>
          tx.update(mailInboxes).set({ passwordEncrypted: next }).where(eq(mailInboxes.orgId, row.orgId)).run(),
      })),
  (db) =>
    db
      .select({
        orgId: githubConnections.orgId,
        userId: githubConnections.userId,
        value: githubConnections.tokenEncrypted,
      })
      .from(githubConnections)
      .all()
      .map((row) => ({
        place: `github_connections.token:${row.orgId}:${row.userId}`,
        ciphertext: row.value,
        // As server/github/connections.ts seals it.
        context: `github.token:${row.orgId}:${row.userId}`,
        replace: (tx, next) =>
          tx
            .update(githubConnections)
            .set({ tokenEncrypted: next })
            .where(and(eq(githubConnections.orgId, row.orgId), eq(githubConnections.userId, row.userId)))
            .run(),
      })),
];

/** One sealed column of the mail OAuth grants (context `mail_oauth.<field>:<key>`, as server/mail/oauth/grants.ts seals it). */
function grantField(field: keyof typeof grantColumns): (db: Queryable) => SealedValue[] {
  const column = grantColumns[field];
  return (db) =>
    db
      .select({ key: mailOAuthGrants.key, value: mailOAuthGrants[column] })
      .from(mailOAuthGrants)
      .where(isNotNull(mailOAuthGrants[column]))
      .all()
      .map((row) => ({
        place: `mail_oauth_grants.${field}:${row.key}`,
        ciphertext: row.value ?? "",
        context: `mail_oauth.${field}:${row.key}`,
        replace: (tx, next) =>
          tx
            .update(mailOAuthGrants)
            .set({ [column]: next })
            .where(eq(mailOAuthGrants.key, row.key))
            .run(),
      }));
}

/** A ciphertext kept as one field of an instance setting's JSON value. */
function settingField(key: string, field: string, context: string): (db: Queryable) => SealedValue[] {
  const read = (db: Queryable) => {
    const value = db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get()?.value;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  };
  return (db) => {
    const ciphertext = read(db)?.[field];
    if (typeof ciphertext !== "string") return [];
    return [
      {
        place: `instance_settings.${key}.${field}`,
        ciphertext,
        context,
        replace: (tx, next) =>
          tx
            .update(instanceSettings)
            .set({ value: { ...read(tx), [field]: next }, updatedAt: new Date() })
            .where(eq(instanceSettings.key, key))
            .run(),
      },
    ];
  };
}

export type ReencryptionReport = {
  /** Values moved to the current key. */
  reencrypted: number;
  /** Values still under another key afterwards: those no configured key could decrypt. */
  stillOlder: number;
  /** Where those are, for the operator (never the values). */
  unreadable: string[];
};

/** Re-encrypts every stored secret that is not under the keyring's current key, in one transaction. */
export function reencryptSecrets(db: Db, keyring: Keyring): ReencryptionReport {
  return db.transaction((tx) => {
    const report: ReencryptionReport = { reencrypted: 0, stillOlder: 0, unreadable: [] };
    for (const listValues of encryptedPlaces) {
      for (const sealed of listValues(tx)) {
        if (keyIdOf(sealed.ciphertext) === keyring.current.id) continue;
        try {
          const plaintext = decryptSecret(keyring, sealed.ciphertext, sealed.context);
          sealed.replace(tx, encryptSecret(keyring, plaintext, sealed.context));
          report.reencrypted += 1;
        } catch (error) {
          if (!(error instanceof SecretDecryptionError)) throw error;
          report.unreadable.push(sealed.place);
        }
      }
    }
    report.stillOlder = report.unreadable.length;
    return report;
  });
}

export type RotationResult = ReencryptionReport & {
  source: Config["secretKeySource"];
  keyId: string;
  keyFile: string | null;
};

/**
 * `opsbox secrets rotate`. With a key file: a new key goes first in the file (older keys stay
 * below it to decrypt), written before anything is re-encrypted so that no ciphertext can
 * exist under a key that is not on disk. With OPSBOX_SECRET_KEY: the operator has already set
 * the new key; everything moves under it.
 */
export function rotateSecretKey(ctx: { config: Config; db: Db }): RotationResult {
  const { config, db } = ctx;
  let keyring: Keyring;
  let keyFile: string | null = null;
  if (config.secretKeySource === "file") {
    const next = generateSecretKey();
    keyFile = join(config.dataDir, SECRET_KEY_FILE);
    prependKeyToFile(keyFile, encodeSecretKey(next));
    keyring = createKeyring(next, [config.secretKey, ...config.previousSecretKeys]);
  } else {
    keyring = createKeyring(config.secretKey, config.previousSecretKeys);
  }
  const report = reencryptSecrets(db, keyring);
  recordAudit(db, {
    orgId: null,
    action: "secrets.rotated",
    details: {
      source: config.secretKeySource,
      keyId: keyring.current.id,
      newKey: config.secretKeySource === "file",
      reencrypted: report.reencrypted,
      stillOlder: report.stillOlder,
    },
  });
  return { ...report, source: config.secretKeySource, keyId: keyring.current.id, keyFile };
}

/** Writes "<new>\n<old…>" to a temporary file (0600), syncs it and renames it over the key file. */
function prependKeyToFile(path: string, encodedKey: string): void {
  const previous = readFileSync(path, "utf8");
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, `${encodedKey}\n${previous.endsWith("\n") || previous === "" ? previous : `${previous}\n`}`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  // The rename itself must reach the disk before the database holds ciphertexts under the new key.
  const dir = openSync(join(path, ".."), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
