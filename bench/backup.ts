/**
 * Replication lag and write cost of Litestream: `bun bench/backup.ts [--seconds 10] [--rate 50]`.
 *
 * On a fresh database with a directory replica (the real litestream, default 1 s sync):
 * 1. write throughput, one committed row per transaction as fast as possible, without and then
 *    with Litestream running;
 * 2. replication lag under a steady load of `--rate` writes a second: for each commit, the time
 *    until the supervisor saw Litestream write a WAL segment at or after it; p50 and p99.
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { instanceSettings } from "../models/instance.ts";
import { backupSettingsInput, sealBackupSettings } from "../server/backup/settings.ts";
import { BackupSupervisor } from "../server/backup/supervisor.ts";
import { generateSecretKey, loadConfig } from "../server/config.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { migrate } from "../server/migrate.ts";
import { makeTempDir } from "../server/testing/harness.ts";
import { createKeyring } from "../server/tools/secrets.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, rate: { type: "string", default: "50" } },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);

const dataDir = makeTempDir("opsbox-bench-backup-");
const mirror = makeTempDir("opsbox-bench-backup-mirror-");
const config = loadConfig({ OPSBOX_DATA_DIR: dataDir });
const keyring = createKeyring(generateSecretKey());
const db = openDatabase(databasePath(dataDir));
migrate(db);
db.$client.run("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)");
const value = sealBackupSettings(keyring, backupSettingsInput.parse({ enabled: true, directory: mirror }));
db.insert(instanceSettings).values({ key: "backups", value, updatedAt: new Date() }).run();
const insert = db.$client.prepare("INSERT INTO bench_rows (body, at) VALUES (?, ?)");
const body = "x".repeat(200);

function throughput(durationMs: number): number {
  const end = performance.now() + durationMs;
  let n = 0;
  while (performance.now() < end) {
    insert.run(body, Date.now());
    n += 1;
  }
  return n / (durationMs / 1000);
}

async function steadyLag(supervisor: BackupSupervisor, database: Db): Promise<number[]> {
  const commits: number[] = [];
  const lags: number[] = [];
  const end = Date.now() + seconds * 1000;
  let next = Date.now();
  while (Date.now() < end || commits.length > 0) {
    if (Date.now() < end && Date.now() >= next) {
      insert.run(body, Date.now());
      commits.push(Date.now());
      next += 1000 / rate;
    }
    const shipped = supervisor.status().replicas[0]?.lastReplicatedAt ?? 0;
    while (commits.length > 0 && (commits[0] ?? 0) <= shipped) lags.push(Date.now() - (commits.shift() ?? 0));
    await Bun.sleep(5);
  }
  void database;
  return lags.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

const before = loadavg()[0]?.toFixed(2);
const plain = throughput(seconds * 1000);
const supervisor = new BackupSupervisor({ config, db, keyring, log: createLogger("silent") });
await supervisor.start();
await Bun.sleep(2000);
const replicated = throughput(seconds * 1000);
const lags = await steadyLag(supervisor, db);
await supervisor.stop();
closeDatabase(db);
rmSync(dataDir, { recursive: true, force: true });
rmSync(mirror, { recursive: true, force: true });

console.log(`load average before: ${before}, after: ${loadavg()[0]?.toFixed(2)}`);
console.log(`writes/s without litestream: ${plain.toFixed(0)}`);
console.log(`writes/s with litestream:    ${replicated.toFixed(0)} (${((replicated / plain - 1) * 100).toFixed(1)}%)`);
console.log(
  `lag at ${rate} writes/s over ${seconds} s (${lags.length} commits, sync every ${config.backup.syncIntervalMs} ms): p50 ${quantile(lags, 0.5)} ms, p99 ${quantile(lags, 0.99)} ms`,
);
