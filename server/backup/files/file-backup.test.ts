import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { eq } from "drizzle-orm";
import { backupFiles } from "../../../models/backup.ts";
import { instanceSettings } from "../../../models/instance.ts";
import { generateSecretKey } from "../../config.ts";
import { closeDatabase, databasePath, openDatabase } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { createLogger } from "../../http/logger.ts";
import { filesDir } from "../../knowledge/upload/files.ts";
import { migrate } from "../../migrate.ts";
import { type FauxS3, startFauxS3 } from "../../testing/fauxqs.ts";
import { makeTempDir } from "../../testing/harness.ts";
import { createKeyring } from "../../tools/secrets.ts";
import { backupKeyStatus, ensureBackupKey, exportBackupKey, parseIdentity } from "../key.ts";
import { backupSettingsInput, readBackupTarget, sealBackupSettings } from "../settings.ts";
import { sha256Of } from "./age-file.ts";
import { FileBackup } from "./file-backup.ts";
import { fileBackupCounts } from "./ledger.ts";
import { FileRestoreError, restoreFiles } from "./restore-files.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const log = createLogger("error");

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fauxS3(): Promise<{ s3: FauxS3; dir: string }> {
  const dir = tempDir("opsbox-files-s3-");
  const s3 = await startFauxS3(dir);
  cleanups.push(() => s3.stop());
  return { s3, dir };
}

/** A migrated box whose backups go to `replicas`, with its backup key made. */
async function box(replicas: { s3?: FauxS3; directory?: string }) {
  const dataDir = tempDir("opsbox-files-box-");
  const keyring = createKeyring(generateSecretKey());
  const db = openDatabase(databasePath(dataDir));
  cleanups.push(() => closeDatabase(db));
  migrate(db);
  const input = backupSettingsInput.parse({
    enabled: true,
    path: "box",
    forcePathStyle: true,
    ...(replicas.s3
      ? { bucket: replicas.s3.bucket, endpoint: replicas.s3.endpoint, accessKeyId: "id", secretAccessKey: "secret" }
      : {}),
    ...(replicas.directory ? { directory: replicas.directory } : {}),
  });
  const value = sealBackupSettings(keyring, input);
  db.insert(instanceSettings).values({ key: "backups", value, updatedAt: new Date() }).run();
  await ensureBackupKey(db, keyring);
  const files = new FileBackup({ config: { dataDir }, db, keyring, log });
  cleanups.push(() => files.stop());
  const target = () => {
    const read = readBackupTarget(db, keyring);
    if (!read) throw new Error("no backup target");
    return read;
  };
  return { dataDir, db, keyring, files, target };
}

/** Stores `text` as an uploaded file would be stored; returns its sha256. */
function storeFile(dataDir: string, text: string): string {
  const bytes = new TextEncoder().encode(text);
  const sha256 = sha256Of(bytes);
  mkdirSync(filesDir(dataDir), { recursive: true });
  writeFileSync(join(filesDir(dataDir), sha256), bytes);
  return sha256;
}

/** A database whose documents refer to `files` (only the columns a restore reads). */
function documentsDb(dir: string, files: { sha256: string; size: number }[]): string {
  const path = join(dir, "restored.db");
  const db = new Database(path);
  db.run("CREATE TABLE documents (sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL)");
  for (const file of files) db.run("INSERT INTO documents VALUES (?, ?)", [file.sha256, file.size]);
  db.close();
  return path;
}

function everyFileUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("the backup key", () => {
  test("is made once, kept sealed, and exported only once", async () => {
    const { db, keyring, dataDir } = await box({ directory: tempDir("opsbox-files-dir-") });
    const key = await ensureBackupKey(db, keyring);
    expect(await ensureBackupKey(db, keyring)).toEqual(key);
    db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(readFileSync(databasePath(dataDir)).includes(key.identity)).toBe(false);

    const status = backupKeyStatus(db);
    expect(status).toMatchObject({ exists: true, recipient: key.recipient, exportedAt: null });
    expect(JSON.stringify(status)).not.toContain("AGE-SECRET-KEY");

    const file = await exportBackupKey(db, keyring);
    expect(parseIdentity(file)).toBe(key.identity);
    expect(file).toContain(`# public key: ${key.recipient}`);
    expect(backupKeyStatus(db)).toMatchObject({ exportedAt: expect.any(String) });
    const again = await exportBackupKey(db, keyring).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe("conflict");
  });
});

describe("uploaded files", () => {
  test("reach both replicas encrypted, are confirmed, and a restore brings them back checked", async () => {
    const { s3, dir: s3Dir } = await fauxS3();
    const mirror = tempDir("opsbox-files-dir-");
    const { dataDir, db, files, target } = await box({ s3, directory: mirror });
    const texts = ["Pump P-100 manual: torque 45 Nm", "Contract with ACME, confidential"];
    const stored = texts.map((text) => ({ sha256: storeFile(dataDir, text), size: text.length }));
    expect(fileBackupCounts(db, dataDir, target())).toEqual({ files: 2, waiting: 2 });

    expect(await files.flush()).toBe(true);
    expect(fileBackupCounts(db, dataDir, target())).toEqual({ files: 2, waiting: 0 });
    const copies = [...everyFileUnder(join(mirror, "files")), ...everyFileUnder(join(s3Dir, "objects"))];
    expect(copies.filter((path) => path.endsWith(".age")).length).toBeGreaterThanOrEqual(2);
    for (const path of copies) {
      const bytes = readFileSync(path, "utf8");
      for (const text of texts) expect(bytes).not.toContain(text);
    }
    expect(readFileSync(join(mirror, "files", `${stored[0]?.sha256}.age`), "utf8")).toStartWith(
      "age-encryption.org/v1",
    );

    const into = tempDir("opsbox-files-restore-");
    const report = await restoreFiles(documentsDb(into, stored), into, target());
    expect(report).toMatchObject({ referenced: 2, restored: 2, present: 0, missing: [], damaged: [] });
    for (const [index, file] of stored.entries())
      expect(readFileSync(join(filesDir(into), file.sha256), "utf8")).toBe(texts[index] ?? "");
    expect(statSync(join(filesDir(into), stored[0]?.sha256 ?? "")).mode & 0o777).toBe(0o600);
  });

  test("a restore with another box's key fails clearly; a damaged copy is reported, not restored", async () => {
    const mirror = tempDir("opsbox-files-dir-");
    const { dataDir, files, target } = await box({ directory: mirror });
    const sha256 = storeFile(dataDir, "Quarterly figures");
    expect(await files.flush()).toBe(true);
    const into = tempDir("opsbox-files-restore-");
    const dbPath = documentsDb(into, [{ sha256, size: "Quarterly figures".length }]);

    const identity = await generateX25519Identity();
    const other = { ...target(), key: { identity, recipient: await identityToRecipient(identity) } };
    const wrong = await restoreFiles(dbPath, into, other).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(FileRestoreError);
    expect((wrong as Error).message).toBe("The backup key given does not open these backups: it is another box's key.");
    const keyless = await restoreFiles(dbPath, into, { ...target(), key: null }).catch((error: unknown) => error);
    expect((keyless as Error).message).toContain("--key FILE");

    const copy = join(mirror, "files", `${sha256}.age`);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes);
    const report = await restoreFiles(dbPath, into, target());
    expect(report).toMatchObject({ restored: 0, damaged: [sha256], missing: [] });
  });

  test("with the bucket unreachable the files wait, and are copied once it is back", async () => {
    const { s3 } = await fauxS3();
    const { dataDir, db, files, target } = await box({ s3 });
    storeFile(dataDir, "first");
    expect(await files.flush()).toBe(true);
    await s3.stop();
    storeFile(dataDir, "written during the outage");
    expect(await files.flush()).toBe(false);
    expect(fileBackupCounts(db, dataDir, target())).toEqual({ files: 2, waiting: 1 });
    expect(files.state().lastError).toStartWith("s3 replica:");
    expect(files.state().lastError).not.toContain("secret");
    expect(files.state().retryAt).toBeGreaterThan(Date.now());

    await s3.start();
    expect(await files.flush()).toBe(true);
    expect(fileBackupCounts(db, dataDir, target())).toEqual({ files: 2, waiting: 0 });
  });

  test("a copy of a file gone from the box stays for the retention window, then is pruned", async () => {
    const mirror = tempDir("opsbox-files-dir-");
    const { dataDir, db, files } = await box({ directory: mirror });
    const sha256 = storeFile(dataDir, "deleted later");
    expect(await files.flush()).toBe(true);
    rmSync(join(filesDir(dataDir), sha256));
    expect(await files.flush()).toBe(true);
    const copy = join(mirror, "files", `${sha256}.age`);
    const row = () => db.select().from(backupFiles).where(eq(backupFiles.sha256, sha256)).get();
    expect(row()?.goneSince).toBeInstanceOf(Date);
    expect(statSync(copy).isFile()).toBe(true);

    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    db.update(backupFiles).set({ goneSince: longAgo }).where(eq(backupFiles.sha256, sha256)).run();
    expect(await files.flush()).toBe(true);
    expect(row()).toBeUndefined();
    expect(() => statSync(copy)).toThrow();
  });
});
