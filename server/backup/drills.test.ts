import { Database } from "bun:sqlite";
import { afterEach, expect } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
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
import { type SpawnedBox, setUpSpawnedBox, startSpawnedBox } from "../testing/spawned-box.ts";
import { testWith } from "../testing/tools.ts";

const FAST = { OPSBOX_BACKUP_SYNC_INTERVAL_MS: "200" };
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

async function fauxS3(): Promise<FauxS3> {
  const dir = makeTempDir("opsbox-faux-s3-");
  const s3 = await startFauxS3(dir);
  cleanups.push(async () => {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return s3;
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
  "drill: kill -9 the box, lose the data directory, restore from S3: every acknowledged row is back",
  async () => {
    const s3 = await fauxS3();
    const mirror = makeTempDir("opsbox-backup-dir-");
    cleanups.push(() => rmSync(mirror, { recursive: true, force: true }));
    const { dataDir, box } = await boxWithBackups({ s3, directory: mirror });
    const acknowledged = await writeProjects(box, 5, "Drill");
    await waitReplicated(box, Date.now());

    box.proc.kill("SIGKILL");
    await box.proc.exited;
    killLitestreamOf(dataDir);
    rmSync(dataDir, { recursive: true, force: true });

    const restored = await runCli(
      ["backup", "restore", "--bucket", s3.bucket, "--endpoint", s3.endpoint, "--path", "box", "--path-style"],
      { OPSBOX_DATA_DIR: dataDir, OPSBOX_BACKUP_ACCESS_KEY_ID: S3_KEY_ID, OPSBOX_BACKUP_SECRET_ACCESS_KEY: S3_SECRET },
    );
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("integrity ok");
    expect(restored.stdout).toContain("the s3 replica");
    expect(restored.stdout).not.toContain(S3_SECRET);
    expect(projectIds(databasePath(dataDir))).toEqual(expect.arrayContaining(acknowledged));
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
    const s3 = await fauxS3();
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
