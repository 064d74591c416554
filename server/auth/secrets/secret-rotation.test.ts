import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../../models/audit.ts";
import { githubConnections } from "../../../models/github.ts";
import { organizations, ssoProviders, users } from "../../../models/identity.ts";
import { instanceSettings } from "../../../models/instance.ts";
import { mailInboxes } from "../../../models/mail-inbound.ts";
import { mailOAuthGrants } from "../../../models/mail-oauth.ts";
import { compliancePresets } from "../../../models/security-policy.ts";
import { type Config, encodeSecretKey, generateSecretKey, loadConfig, SECRET_KEY_FILE } from "../../config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../../db.ts";
import { migrate } from "../../migrate.ts";
import { makeTempDir, testEnv } from "../../testing/harness.ts";
import { newId } from "../../tools/ids.ts";
import { createKeyring, decryptSecret, encryptSecret, type Keyring, keyIdOf } from "../../tools/secrets.ts";
import { rotateSecretKey } from "./secret-rotation.ts";

const opened: { db: Db; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

function openBox(env: Record<string, string> = {}, dir = makeTempDir("opsbox-rotate-")) {
  const config = loadConfig(testEnv(dir, env));
  const db = openDatabase(databasePath(config.dataDir));
  migrate(db);
  opened.push({ db, dir });
  return { config, db, dir, keyring: keyringOf(config) };
}

function keyringOf(config: Config): Keyring {
  return createKeyring(config.secretKey, config.previousSecretKeys);
}

type Stored = { read: () => string; context: string; plaintext: string };

/** One secret in each encrypted place, all under `keyring`. */
function seedSecrets(db: Db, keyring: Keyring): Stored[] {
  const orgId = newId("org");
  const userId = newId("usr");
  const ssoId = newId("sso");
  db.insert(organizations)
    .values({
      id: orgId,
      name: "Acme",
      industry: "general",
      complianceLevel: "basic",
      policy: compliancePresets.basic.policy,
    })
    .run();
  const totpContext = `users.totp:${userId}`;
  db.insert(users)
    .values({
      id: userId,
      email: "ada@example.com",
      name: "Ada",
      status: "active",
      totpKeyEncrypted: encryptSecret(keyring, "totp-key", totpContext),
    })
    .run();
  const ssoContext = `sso.client_secret:${ssoId}`;
  db.insert(ssoProviders)
    .values({
      id: ssoId,
      orgId,
      kind: "oidc",
      name: "Okta",
      issuer: "https://id.example.com",
      clientId: "opsbox",
      clientSecretEncrypted: encryptSecret(keyring, "client-secret", ssoContext),
      domainRules: [],
    })
    .run();
  const grantContext = (field: string) => `mail_oauth.${field}:send`;
  db.insert(mailOAuthGrants)
    .values({
      key: "send",
      provider: "google",
      clientId: "google-client",
      scopes: "openid",
      clientSecretEncrypted: encryptSecret(keyring, "google-secret", grantContext("client_secret")),
      accessTokenEncrypted: encryptSecret(keyring, "ya29.access", grantContext("access_token")),
      refreshTokenEncrypted: encryptSecret(keyring, "1//refresh", grantContext("refresh_token")),
    })
    .run();
  const grant = () => db.select().from(mailOAuthGrants).where(eq(mailOAuthGrants.key, "send")).get();
  const inboxContext = `mail_inboxes.password:${orgId}`;
  const githubContext = `github.token:${orgId}:${userId}`;
  db.insert(githubConnections)
    .values({
      orgId,
      userId,
      login: "ada",
      tokenEncrypted: encryptSecret(keyring, "github_pat_ada", githubContext),
      repositories: [],
    })
    .run();
  db.insert(mailInboxes)
    .values({
      orgId,
      address: "inbox@acme.example",
      host: "imap.acme.example",
      port: 993,
      security: "tls",
      username: "inbox",
      passwordEncrypted: encryptSecret(keyring, "imap-pass", inboxContext),
    })
    .run();
  const now = new Date();
  db.insert(instanceSettings)
    .values([
      {
        key: "email",
        value: {
          provider: "smtp",
          host: "mail.example.com",
          passwordEncrypted: encryptSecret(keyring, "smtp-pass", "settings.email.password"),
        },
        updatedAt: now,
      },
      {
        key: "backups",
        value: {
          enabled: true,
          bucket: "b",
          secretAccessKeyEncrypted: encryptSecret(keyring, "s3-secret", "settings.backups.secretAccessKey"),
        },
        updatedAt: now,
      },
      {
        key: "backups.key",
        value: {
          recipient: "age1recipient",
          identityEncrypted: encryptSecret(keyring, "AGE-SECRET-KEY-1X", "settings.backups.key.identity"),
          createdAt: now.toISOString(),
          exportedAt: null,
        },
        updatedAt: now,
      },
    ])
    .run();
  const setting = (key: string, field: string) => () => {
    const value = db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get()?.value as Record<
      string,
      string
    >;
    return value[field] ?? "";
  };
  return [
    {
      read: () => db.select().from(users).where(eq(users.id, userId)).get()?.totpKeyEncrypted ?? "",
      context: totpContext,
      plaintext: "totp-key",
    },
    {
      read: () => db.select().from(ssoProviders).where(eq(ssoProviders.id, ssoId)).get()?.clientSecretEncrypted ?? "",
      context: ssoContext,
      plaintext: "client-secret",
    },
    { read: setting("email", "passwordEncrypted"), context: "settings.email.password", plaintext: "smtp-pass" },
    {
      read: () => grant()?.clientSecretEncrypted ?? "",
      context: grantContext("client_secret"),
      plaintext: "google-secret",
    },
    {
      read: () => grant()?.accessTokenEncrypted ?? "",
      context: grantContext("access_token"),
      plaintext: "ya29.access",
    },
    {
      read: () => grant()?.refreshTokenEncrypted ?? "",
      context: grantContext("refresh_token"),
      plaintext: "1//refresh",
    },
    {
      read: setting("backups", "secretAccessKeyEncrypted"),
      context: "settings.backups.secretAccessKey",
      plaintext: "s3-secret",
    },
    {
      read: setting("backups.key", "identityEncrypted"),
      context: "settings.backups.key.identity",
      plaintext: "AGE-SECRET-KEY-1X",
    },
    {
      read: () => db.select().from(mailInboxes).where(eq(mailInboxes.orgId, orgId)).get()?.passwordEncrypted ?? "",
      context: inboxContext,
      plaintext: "imap-pass",
    },
    {
      read: () =>
        db.select().from(githubConnections).where(eq(githubConnections.userId, userId)).get()?.tokenEncrypted ?? "",
      context: githubContext,
      plaintext: "github_pat_ada",
    },
  ];
}

function expectAllUnder(stored: Stored[], keyring: Keyring): void {
  for (const secret of stored) {
    expect(keyIdOf(secret.read())).toBe(keyring.current.id);
    expect(decryptSecret(keyring, secret.read(), secret.context)).toBe(secret.plaintext);
  }
}

describe("with a key file", () => {
  test("rotate writes a new first key (0600), re-encrypts every secret under it, and old ciphertexts still decrypt", () => {
    const { config, db, dir, keyring: before } = openBox();
    const stored = seedSecrets(db, before);
    const elsewhere = encryptSecret(before, "in last night's backup", "backup");
    const keyFile = join(dir, SECRET_KEY_FILE);
    const oldLine = readFileSync(keyFile, "utf8").trim();

    const result = rotateSecretKey({ config, db });
    expect(result).toMatchObject({ source: "file", reencrypted: 10, stillOlder: 0, unreadable: [] });

    const lines = readFileSync(keyFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(oldLine);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const after = keyringOf(loadConfig(testEnv(dir)));
    expect(after.current.id).toBe(result.keyId);
    expect(after.current.id).not.toBe(before.current.id);
    expectAllUnder(stored, after);
    expect(decryptSecret(after, elsewhere, "backup")).toBe("in last night's backup");

    const audit = db.select().from(auditEvents).where(eq(auditEvents.action, "secrets.rotated")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ orgId: null, details: { source: "file", reencrypted: 10, stillOlder: 0 } });
    expect(JSON.stringify(audit)).not.toContain(lines[0] ?? "missing");
  });

  test("a value no configured key decrypts is reported and left alone; the rest move", () => {
    const { config, db } = openBox();
    const stored = seedSecrets(db, keyringOf(config));
    const stranger = createKeyring(generateSecretKey());
    db.update(users)
      .set({ totpKeyEncrypted: encryptSecret(stranger, "lost", "users.totp:x") })
      .run();
    const result = rotateSecretKey({ config, db });
    expect(result.reencrypted).toBe(9);
    expect(result.stillOlder).toBe(1);
    expect(result.unreadable).toEqual([expect.stringMatching(/^users\.totp:usr_/)]);
    expect(keyIdOf(stored[0]?.read() ?? "")).toBe(stranger.current.id);
  });
});

describe("with OPSBOX_SECRET_KEY", () => {
  test("after the operator sets a new key and keeps the old one as previous, rotate moves everything under the new key", () => {
    const keyA = encodeSecretKey(generateSecretKey());
    const keyB = encodeSecretKey(generateSecretKey());
    const first = openBox({ OPSBOX_SECRET_KEY: keyA });
    const stored = seedSecrets(first.db, first.keyring);

    const config = loadConfig(testEnv(first.dir, { OPSBOX_SECRET_KEY: keyB, OPSBOX_PREVIOUS_SECRET_KEYS: keyA }));
    const result = rotateSecretKey({ config, db: first.db });
    expect(result).toMatchObject({ source: "environment", keyFile: null, reencrypted: 10, stillOlder: 0 });
    expect(existsSync(join(first.dir, SECRET_KEY_FILE))).toBe(false);

    const onlyB = keyringOf(loadConfig(testEnv(first.dir, { OPSBOX_SECRET_KEY: keyB })));
    expectAllUnder(stored, onlyB);
    expect(rotateSecretKey({ config, db: first.db }).reencrypted).toBe(0);
  });
});
