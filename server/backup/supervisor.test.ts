import { afterEach, expect } from "bun:test";
import { rmSync, statSync } from "node:fs";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { generateSecretKey, loadConfig } from "../config.ts";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { migrate } from "../migrate.ts";
import { runCli } from "../testing/cli.ts";
import { makeTempDir } from "../testing/harness.ts";
import { testWith } from "../testing/tools.ts";
import { writePidFile } from "../tools/pid-file.ts";
import { createKeyring } from "../tools/secrets.ts";
import { BACKUP_KEY_SETTING, readBackupKey } from "./key.ts";
import { listBackups } from "./list.ts";
import { litestreamConfigPath } from "./litestream-config.ts";
import { backupSettingsInput, readBackupTarget, sealBackupSettings } from "./settings.ts";
import { BackupSupervisor } from "./supervisor.ts";
import { lastVerification, verifyBackups } from "./verify.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

function boxWithDirectoryBackups() {
  const dataDir = makeTempDir("opsbox-supervisor-");
  const mirror = makeTempDir("opsbox-supervisor-mirror-");
  const config = loadConfig({ OPSBOX_DATA_DIR: dataDir, OPSBOX_BACKUP_SYNC_INTERVAL_MS: "100" });
  const keyring = createKeyring(generateSecretKey());
  const db = openDatabase(databasePath(dataDir));
  migrate(db);
  const store = (input: unknown) => {
    const value = sealBackupSettings(keyring, backupSettingsInput.parse(input));
    db.insert(instanceSettings)
      .values({ key: "backups", value, updatedAt: new Date() })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: new Date() } })
      .run();
  };
  store({ enabled: true, directory: mirror });
  const supervisor = new BackupSupervisor({ config, db, keyring, log: createLogger("silent") });
  cleanups.push(async () => {
    await supervisor.stop();
    closeDatabase(db);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(mirror, { recursive: true, force: true });
  });
  return { dataDir, mirror, db, keyring, config, supervisor, store };
}

testWith(
  "litestream",
  "the supervisor replicates, restarts a dead child, snapshots on demand and stops",
  async () => {
    const { supervisor, db, dataDir, config, keyring } = boxWithDirectoryBackups();
    await supervisor.start();
    expect(statSync(litestreamConfigPath(dataDir)).mode & 0o777).toBe(0o600);
    await until(() => supervisor.status().replicas[0]?.lastReplicatedAt !== null, "the first segment");

    const first = supervisor.status().childPid ?? 0;
    process.kill(first, "SIGKILL");
    await until(() => supervisor.status().state === "restarting", "the restart to be planned");
    await until(() => supervisor.status().state === "running", "the restart", 5000);
    expect(supervisor.status().childPid).not.toBe(first);
    expect(supervisor.status().restarts).toBe(1);

    const before = Date.now();
    await supervisor.snapshotNow();
    expect(supervisor.status().replicas[0]?.lastSnapshotAt ?? 0).toBeGreaterThanOrEqual(before - 1000);
    const target = readBackupTarget(db, keyring);
    if (!target) throw new Error("no backup target");
    const job = { binary: null, dataDir, workDir: `${dataDir}/backup`, target };
    const listing = await listBackups(job);
    expect(listing.snapshots.length).toBeGreaterThanOrEqual(2);
    expect(listing.snapshots[0]?.sizeBytes).toBeGreaterThan(0);

    const verified = await verifyBackups(db, job);
    expect(verified).toMatchObject({ ok: true, replica: "directory" });
    expect(lastVerification(db)?.ok).toBe(true);

    await supervisor.stop();
    expect(supervisor.status()).toMatchObject({ state: "stopped", childPid: null });
    expect(config.backup.syncIntervalMs).toBe(100);
  },
  30_000,
);

testWith(
  "litestream",
  "back up now in quick succession: every request waits for a snapshot of its own, none counts an earlier one",
  async () => {
    const { supervisor, db, dataDir, keyring } = boxWithDirectoryBackups();
    await supervisor.start();
    await until(() => supervisor.status().replicas[0]?.lastSnapshotAt != null, "the first generation's snapshot");
    const target = readBackupTarget(db, keyring);
    if (!target) throw new Error("no backup target");
    const job = { binary: null, dataDir, workDir: `${dataDir}/backup`, target };
    const before = (await listBackups(job)).snapshots.length;

    // Each is asked for within a second of the snapshot before it (Litestream logs whole seconds).
    const asked = Date.now();
    await Promise.all([supervisor.snapshotNow(), supervisor.snapshotNow()]);
    await supervisor.snapshotNow();
    expect(supervisor.status().lastSnapshotRequestedAt ?? 0).toBeGreaterThanOrEqual(asked);

    const after = await listBackups(job);
    expect(after.snapshots.length).toBe(before + 3);
    expect(new Set(after.snapshots.map((snapshot) => snapshot.generation)).size).toBe(after.snapshots.length);
  },
  30_000,
);

testWith(
  "litestream",
  "after the backup key changes, Litestream replicates with the new one and the newest backup restores with it",
  async () => {
    const { supervisor, db, dataDir, config, keyring } = boxWithDirectoryBackups();
    await supervisor.start();
    await until(() => supervisor.status().replicas[0]?.lastReplicatedAt !== null, "the first segment");
    const firstKey = readBackupKey(db, keyring);
    expect(firstKey?.recipient).toStartWith("age1");
    await supervisor.stop();

    db.delete(instanceSettings).where(eq(instanceSettings.key, BACKUP_KEY_SETTING)).run();
    db.$client.run("CREATE TABLE after_the_new_key (x TEXT)");
    const next = new BackupSupervisor({ config, db, keyring, log: createLogger("silent") });
    cleanups.push(() => next.stop());
    await next.start();
    await until(() => next.status().replicas[0]?.lastReplicatedAt !== null, "the new generation's first segment");
    const target = readBackupTarget(db, keyring);
    if (!target?.key) throw new Error("no backup key");
    expect(target.key.recipient).not.toBe(firstKey?.recipient);
    const job = { binary: null, dataDir, workDir: `${dataDir}/backup`, target };
    expect((await listBackups(job)).generations.length).toBeGreaterThanOrEqual(2);
    expect(await verifyBackups(db, job)).toMatchObject({ ok: true, files: { checked: 0, missing: 0, damaged: 0 } });
  },
  30_000,
);

testWith(
  "litestream",
  "saving new settings restarts litestream with them; turning backups off stops it",
  async () => {
    const { supervisor, store, mirror } = boxWithDirectoryBackups();
    await supervisor.start();
    const first = supervisor.status().childPid;
    await supervisor.reconfigure();
    expect(supervisor.status().childPid).toBe(first);
    store({ enabled: true, directory: mirror, retentionDays: 60 });
    await supervisor.reconfigure();
    expect(supervisor.status().childPid).not.toBe(first);
    store({ enabled: false });
    await supervisor.reconfigure();
    expect(supervisor.status()).toMatchObject({ state: "disabled", childPid: null });
  },
  30_000,
);

testWith("litestream", "opsbox backup restore refuses the data directory of a running box", async () => {
  const { dataDir } = boxWithDirectoryBackups();
  writePidFile(dataDir);
  const result = await runCli(["backup", "restore"], { OPSBOX_DATA_DIR: dataDir });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("Opsbox is running on this data directory");
});

testWith("litestream", "opsbox backup status says when backups are off, and now refuses", async () => {
  const dataDir = makeTempDir("opsbox-backup-off-");
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const status = await runCli(["backup", "status"], { OPSBOX_DATA_DIR: dataDir });
  expect(status.code).toBe(0);
  expect(status.stdout).toContain("Backups are off");
  const now = await runCli(["backup", "now"], { OPSBOX_DATA_DIR: dataDir });
  expect(now.code).toBe(1);
  expect(now.stderr).toContain("Backups are not set up");
});
