import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { organizations } from "../../models/identity.ts";
import { instanceSettings } from "../../models/instance.ts";
import { generateSecretKey } from "../config.ts";
import { databasePath, openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir } from "../testing/harness.ts";
import { createKeyring } from "../tools/secrets.ts";
import { litestreamPlan, writeLitestreamConfig } from "./litestream-config.ts";
import { backupSettingsInput, readBackupTarget, sealBackupSettings } from "./settings.ts";

const keyring = createKeyring(generateSecretKey());

function freshDb() {
  const db = openDatabase(databasePath(makeTempDir("opsbox-backup-settings-")));
  migrate(db);
  return db;
}

const s3Input = {
  enabled: true,
  bucket: "office-backups",
  endpoint: "http://127.0.0.1:9000",
  accessKeyId: "AKIA-TEST",
  secretAccessKey: "very-secret",
  forcePathStyle: true,
};

describe("backup settings", () => {
  test("a directory alone is a valid backup target; neither bucket nor directory is not", () => {
    expect(backupSettingsInput.safeParse({ enabled: true, directory: "/mnt/usb/opsbox" }).success).toBe(true);
    const neither = backupSettingsInput.safeParse({ enabled: true });
    expect(neither.error?.issues.map((issue) => issue.path.join("."))).toEqual(["bucket"]);
  });

  test("a bucket needs both keys, with the wizard's messages", () => {
    const result = backupSettingsInput.safeParse({ enabled: true, bucket: "office-backups" });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "Enter the access key id.",
      "Enter the secret access key.",
    ]);
  });

  test("settings stored before directories and retention read with the defaults, secret decrypted", () => {
    const db = freshDb();
    const { forcePathStyle: _, ...old } = s3Input;
    const value = sealBackupSettings(keyring, backupSettingsInput.parse(old));
    expect(JSON.stringify(value)).not.toContain("very-secret");
    db.insert(instanceSettings).values({ key: "backups", value, updatedAt: new Date() }).run();
    expect(readBackupTarget(db, keyring)).toEqual({
      s3: {
        bucket: "office-backups",
        path: "opsbox",
        region: "us-east-1",
        endpoint: "http://127.0.0.1:9000",
        forcePathStyle: false,
        accessKeyId: "AKIA-TEST",
        secretAccessKey: "very-secret",
      },
      directory: null,
      retentionDays: 30,
      key: null,
    });
  });

  test("the longest compliance preset floor wins over a shorter retention", () => {
    const db = freshDb();
    const value = sealBackupSettings(
      keyring,
      backupSettingsInput.parse({ enabled: true, directory: "/b", retentionDays: 7 }),
    );
    db.insert(instanceSettings).values({ key: "backups", value, updatedAt: new Date() }).run();
    expect(readBackupTarget(db, keyring)?.retentionDays).toBe(7);
    db.insert(organizations)
      .values({
        id: "org_1",
        name: "Clinic",
        industry: "general",
        complianceLevel: "enterprise",
        policy: {},
        createdAt: new Date(),
      } as typeof organizations.$inferInsert)
      .run();
    expect(readBackupTarget(db, keyring)?.retentionDays).toBe(365);
  });
});

describe("litestream config", () => {
  const target = {
    s3: {
      bucket: "office-backups",
      path: "box",
      region: "eu-central-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      accessKeyId: "AKIA-TEST",
      secretAccessKey: "very-secret",
    },
    directory: "/mnt/usb/$HOME/opsbox",
    retentionDays: 30,
    key: { recipient: "age1recipient", identity: "AGE-SECRET-KEY-1IDENTITY" },
  };

  test("both replicas, daily snapshots kept 30 days, credentials only in the environment", () => {
    const plan = litestreamPlan(target, { databasePath: "/var/lib/opsbox/opsbox.db", syncIntervalMs: 1000 });
    expect(plan.yaml).toContain('path: "/var/lib/opsbox/opsbox.db"');
    expect(plan.yaml).toContain("type: s3");
    expect(plan.yaml).toContain("force-path-style: true");
    expect(plan.yaml).toContain('endpoint: "http://127.0.0.1:9000"');
    expect(plan.yaml).toContain('path: "/mnt/usb/$HOME/opsbox"');
    expect(plan.yaml).toContain("snapshot-interval: 24h");
    expect(plan.yaml).toContain("retention: 720h");
    expect(plan.yaml).toContain("sync-interval: 1000ms");
    expect(plan.yaml).not.toContain("very-secret");
    expect(plan.yaml).not.toContain("AKIA-TEST");
    expect(plan.env).toEqual({ LITESTREAM_ACCESS_KEY_ID: "AKIA-TEST", LITESTREAM_SECRET_ACCESS_KEY: "very-secret" });
  });

  test("every replica encrypts for the backup key; only a restore's config holds the identity", () => {
    const options = { databasePath: "/var/lib/opsbox/opsbox.db", syncIntervalMs: 1000 };
    const replicating = litestreamPlan(target, options).yaml;
    expect(replicating.match(/recipients:\n\s+- "age1recipient"/g)).toHaveLength(2);
    expect(replicating).not.toContain("AGE-SECRET-KEY");
    const restoring = litestreamPlan(target, { ...options, decrypt: true }).yaml;
    expect(restoring.match(/identities:\n\s+- "AGE-SECRET-KEY-1IDENTITY"/g)).toHaveLength(2);
  });

  test("the config file is readable by its owner only", () => {
    const dir = makeTempDir("opsbox-backup-config-");
    const path = writeLitestreamConfig(dir, "dbs: []\n");
    expect(path).toBe(join(dir, "backup", "litestream.yml"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
