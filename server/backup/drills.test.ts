import { Database } from "bun:sqlite";
import { afterEach, expect } from "bun:test";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateX25519Identity } from "age-encryption";
import { databasePath } from "../db.ts";
import {
  createProject,
  enableBackups,
  killLitestreamOf,
  readyBackups,
  S3_KEY_ID,
  S3_SECRET,
  waitReplicated,
} from "../testing/backup-drill.ts";
import { runCli } from "../testing/cli.ts";
import { type FauxS3, startFauxS3 } from "../testing/fauxqs.ts";
import { makeTempDir } from "../testing/harness.ts";
import {
  type SpawnedBox,
  setUpSpawnedBox,
  sha256Hex,
  startSpawnedBox,
  textDocument,
  uploadText,
} from "../testing/spawned-box.ts";
import { testWith } from "../testing/tools.ts";

const FAST = { OPSBOX_BACKUP_SYNC_INTERVAL_MS: "200" };
const SECRET_ROW = "Confidential-drill-row";
const SECRET_FILE = "Confidential-drill-manual";
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function boxWithBackups(replicas: { s3?: FauxS3; directory?: string }) {
  const dataDir = makeTempDir("opsbox-backup-drill-");
  const apiKey = await setUpSpawnedBox(dataDir);
  enableBackups(dataDir, replicas);
  const box = await startSpawnedBox(dataDir, apiKey, FAST);
  cleanups.push(() => {
    if (box.alive()) box.proc.kill("SIGKILL");
    killLitestreamOf(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, box };
}

async function fauxS3(): Promise<{ store: FauxS3; dir: string }> {
  const dir = makeTempDir("opsbox-faux-s3-");
  const store = await startFauxS3(dir);
  cleanups.push(async () => {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, dir };
}

/** Waits until the running box has confirmed the file on `replicas` replicas. */
async function waitFilesConfirmed(dataDir: string, sha256: string, replicas: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const db = new Database(databasePath(dataDir), { readonly: true });
    const row = db
      .query<{ n: number }, [string]>("SELECT count(*) AS n FROM backup_files WHERE sha256 = ?")
      .get(sha256);
    db.close();
    if ((row?.n ?? 0) >= replicas) return;
    if (Date.now() > deadline) throw new Error(`file ${sha256} not confirmed on ${replicas} replicas in time`);
    await Bun.sleep(100);
  }
}

/** Files under `dir` whose bytes contain any of `needles`. */
function filesContaining(dir: string, needles: string[]): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => {
      const bytes = readFileSync(path);
      return needles.some((needle) => bytes.includes(needle));
    });
}

function projectIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .query<{ id: string }, []>("SELECT id FROM projects")
      .all()
      .map((row) => row.id);
  } finally {
    db.close();
  }
}

async function writeProjects(box: SpawnedBox, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push(await createProject(box, `${prefix} ${n}`));
  return ids;
}

testWith(
  "litestream",
  "drill: kill -9 the box, lose the data directory, restore from S3 with the downloaded key: every acknowledged row and file is back",
  async () => {
    const s3 = await fauxS3();
    const mirror = makeTempDir("opsbox-backup-dir-");
    cleanups.push(() => rmSync(mirror, { recursive: true, force: true }));
    const { dataDir, box } = await boxWithBackups({ s3: s3.store, directory: mirror });
    const acknowledged = await writeProjects(box, 5, SECRET_ROW);
    const manual = textDocument(4096, SECRET_FILE);
    const upload = await uploadText(box, manual, "pump-manual.txt");
    expect(upload.status).toBe(202);
    const keyDir = makeTempDir("opsbox-backup-key-");
    cleanups.push(() => rmSync(keyDir, { recursive: true, force: true }));
    const keyFile = join(keyDir, "backup.key");
    const exported = await runCli(["backup", "key", "--export"], { OPSBOX_DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    writeFileSync(keyFile, exported.stdout);
    const again = await runCli(["backup", "key", "--export"], { OPSBOX_DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("it is shown only once");
    await waitFilesConfirmed(dataDir, sha256Hex(manual), 2);
    const status = await runCli(["backup", "status"], { OPSBOX_DATA_DIR: dataDir });
    expect(status.stdout).toContain("Uploaded files     1 file(s), 0 waiting to be copied");
    expect(status.stdout).toContain("Encryption         age, public key age1");
    await waitReplicated(box, Date.now());

    // At rest the replicas hold neither a row's text nor the document's.
    for (const dir of [mirror, s3.dir]) expect(filesContaining(dir, [SECRET_ROW, SECRET_FILE])).toEqual([]);

    box.proc.kill("SIGKILL");
    await box.proc.exited;
    killLitestreamOf(dataDir);
    rmSync(dataDir, { recursive: true, force: true });

    const source = ["--bucket", s3.store.bucket, "--endpoint", s3.store.endpoint, "--path", "box", "--path-style"];
    const env = {
      OPSBOX_DATA_DIR: dataDir,
      OPSBOX_BACKUP_ACCESS_KEY_ID: S3_KEY_ID,
      OPSBOX_BACKUP_SECRET_ACCESS_KEY: S3_SECRET,
    };
    const keyless = await runCli(["backup", "restore", ...source, "--to", join(dataDir, "keyless")], env);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain("The backup is encrypted: give the backup key with --key FILE");
    const otherKey = join(dataDir, "other.key");
    writeFileSync(otherKey, `${await generateX25519Identity()}\n`);
    const wrong = await runCli(
      ["backup", "restore", ...source, "--key", otherKey, "--to", join(dataDir, "wrong")],
      env,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("The backup key given does not open this backup");

    const restored = await runCli(["backup", "restore", ...source, "--key", keyFile], env);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("integrity ok");
    expect(restored.stdout).toContain("the s3 replica");
    expect(restored.stdout).toContain("files     1 referenced: 1 restored, 0 already there, 0 missing, 0 damaged");
    expect(restored.stdout).not.toContain(S3_SECRET);
    expect(projectIds(databasePath(dataDir))).toEqual(expect.arrayContaining(acknowledged));
    expect(sha256Hex(readFileSync(join(dataDir, "files", sha256Hex(manual))))).toBe(sha256Hex(manual));
  },
  60_000,
);

testWith(
  "litestream",
  "drill: a restore to a time between two writes brings back exactly the first",
  async () => {
    const mirror = makeTempDir("opsbox-backup-dir-");
    cleanups.push(() => rmSync(mirror, { recursive: true, force: true }));
    const { dataDir, box } = await boxWithBackups({ directory: mirror });
    const [first] = await writeProjects(box, 1, "Before");
    await waitReplicated(box, Date.now());
    await Bun.sleep(1100);
    const between = new Date();
    await Bun.sleep(1100);
    const [second] = await writeProjects(box, 1, "After");
    await waitReplicated(box, Date.now());

    const to = join(dataDir, "point-in-time");
    const restored = await runCli(["backup", "restore", "--timestamp", between.toISOString(), "--to", to], {
      OPSBOX_DATA_DIR: dataDir,
    });
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    const ids = projectIds(join(to, "opsbox.db"));
    expect(ids).toContain(first ?? "");
    expect(ids).not.toContain(second ?? "");
  },
  60_000,
);

testWith(
  "litestream",
  "drill: with the replica unreachable the box serves, /readyz reports the lag, and it catches up",
  async () => {
    const { store: s3 } = await fauxS3();
    const { dataDir, box } = await boxWithBackups({ s3 });
    await writeProjects(box, 1, "Up");
    await waitReplicated(box, Date.now());

    await s3.stop();
    const [during] = await writeProjects(box, 1, "During the outage");
    let report = await readyBackups(box);
    const deadline = Date.now() + 15_000;
    while (report.backups.status !== "fail" && Date.now() < deadline) {
      await Bun.sleep(250);
      report = await readyBackups(box);
    }
    expect(report.httpStatus).toBe(200);
    expect(report.backups.status).toBe("fail");
    expect(report.backups.message).toContain("s3 replica is");
    expect(report.backups.replicas[0]?.lagMs).toBeGreaterThan(5000);
    expect((await box.api("/api/v1/projects")).status).toBe(200);
    // /metrics (a loopback caller) shows the same lag and a running Litestream.
    const metrics = await (await fetch(new URL("/metrics", box.url))).text();
    const lag = Number(/^opsbox_replication_lag_seconds\{replica="s3"\} (\S+)$/m.exec(metrics)?.[1]);
    expect(lag).toBeGreaterThan(5);
    expect(metrics).toMatch(/^opsbox_backup_replicator_up 1$/m);

    await s3.start();
    await waitReplicated(box, Date.now(), 30_000);
    expect((await readyBackups(box)).backups.status).toBe("ok");
    const to = join(dataDir, "after-outage");
    const restored = await runCli(["backup", "restore", "--to", to], { OPSBOX_DATA_DIR: dataDir });
    expect(restored.code).toBe(0);
    expect(projectIds(join(to, "opsbox.db"))).toContain(during ?? "");
  },
  60_000,
);
