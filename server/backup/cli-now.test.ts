import { afterAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { enableBackups, killLitestreamOf } from "../testing/backup-drill.ts";
import { runCli } from "../testing/cli.ts";
import { makeTempDir } from "../testing/harness.ts";
import { type SpawnedBox, setUpSpawnedBox, startSpawnedBox } from "../testing/spawned-box.ts";
import { testWith } from "../testing/tools.ts";
import { readStatusFile } from "./status-file.ts";

/* `opsbox backup now` against a running box: the server's supervisor takes the snapshot (SIGUSR2). */

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function snapshotCount(box: SpawnedBox): Promise<number> {
  const response = await box.api("/api/v1/backups/snapshots?limit=200");
  return ((await response.json()) as { data: unknown[] }).data.length;
}

testWith(
  "litestream",
  "opsbox backup now twice in a row through the running server: two new snapshots, each waited for",
  async () => {
    const dataDir = makeTempDir("opsbox-backup-now-");
    const mirror = makeTempDir("opsbox-backup-now-mirror-");
    const apiKey = await setUpSpawnedBox(dataDir);
    enableBackups(dataDir, { directory: mirror });
    const box = await startSpawnedBox(dataDir, apiKey, { OPSBOX_BACKUP_SYNC_INTERVAL_MS: "200" });
    cleanups.push(() => {
      if (box.alive()) box.proc.kill("SIGKILL");
      killLitestreamOf(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(mirror, { recursive: true, force: true });
    });
    const deadline = Date.now() + 15_000;
    while (readStatusFile(dataDir)?.replicas[0]?.lastSnapshotAt == null) {
      if (Date.now() > deadline) throw new Error("no first snapshot");
      await Bun.sleep(100);
    }
    const before = await snapshotCount(box);

    for (const round of [1, 2]) {
      const askedAt = Date.now();
      const now = await runCli(["backup", "now"], { OPSBOX_DATA_DIR: dataDir });
      expect([round, now.code, now.stderr]).toEqual([round, 0, ""]);
      expect(now.stdout).toContain("A snapshot is on every replica.");
      expect(readStatusFile(dataDir)?.lastSnapshotRequestedAt ?? 0).toBeGreaterThanOrEqual(askedAt);
      expect(await snapshotCount(box)).toBe(before + round);
    }
  },
  40_000,
);
