import { instanceSettings } from "../../models/instance.ts";
import { sealBackupSettings } from "../backup/settings.ts";
import { readStatusFile } from "../backup/status-file.ts";
import { readSecretKeyFile } from "../config.ts";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { createKeyring } from "../tools/secrets.ts";
import type { FauxS3 } from "./fauxqs.ts";
import type { SpawnedBox } from "./spawned-box.ts";

export const S3_KEY_ID = "drill-key-id";
export const S3_SECRET = "drill-secret-access-key";

/** Stores backup settings in a set-up box's database, as the wizard would: S3 (path-style) and/or a directory. */
export function enableBackups(dataDir: string, replicas: { s3?: FauxS3; directory?: string }): void {
  const [key] = readSecretKeyFile(dataDir);
  if (!key) throw new Error("no secret key");
  const db = openDatabase(databasePath(dataDir));
  try {
    const value = sealBackupSettings(createKeyring(key), {
      enabled: true,
      region: "us-east-1",
      path: "box",
      forcePathStyle: true,
      ...(replicas.s3
        ? {
            bucket: replicas.s3.bucket,
            endpoint: replicas.s3.endpoint,
            accessKeyId: S3_KEY_ID,
            secretAccessKey: S3_SECRET,
          }
        : {}),
      ...(replicas.directory ? { directory: replicas.directory } : {}),
    });
    db.insert(instanceSettings)
      .values({ key: "backups", value, updatedAt: new Date() })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: new Date() } })
      .run();
  } finally {
    closeDatabase(db);
  }
}

type ReadyBackups = {
  status: string;
  message?: string;
  replicas: { name: string; lagMs: number; lastReplicatedAt: string | null }[];
};

/** The backups check of the box's /readyz (details: the test calls from loopback). */
export async function readyBackups(box: SpawnedBox): Promise<{ httpStatus: number; backups: ReadyBackups }> {
  const response = await fetch(new URL("/readyz", box.url));
  const body = (await response.json()) as { checks: { backups: ReadyBackups } };
  return { httpStatus: response.status, backups: body.checks.backups };
}

/** Waits until every replica has shipped WAL at or after `since` (so every write committed before it). */
export async function waitReplicated(box: SpawnedBox, since: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { backups } = await readyBackups(box);
    const done = backups.replicas.every(
      (replica) => replica.lastReplicatedAt !== null && Date.parse(replica.lastReplicatedAt) >= since,
    );
    if (done && backups.replicas.length > 0) return;
    if (Date.now() > deadline) throw new Error(`not replicated in time: ${JSON.stringify(backups)}`);
    await Bun.sleep(100);
  }
}

/** Kills the Litestream a box started (a SIGKILLed box leaves it running). */
export function killLitestreamOf(dataDir: string): void {
  const pid = readStatusFile(dataDir)?.childPid;
  if (pid)
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
}

let codes = 0;

/** Creates a project through the API and returns its id. */
export async function createProject(box: SpawnedBox, name: string): Promise<string> {
  codes += 1;
  const response = await box.api("/api/v1/projects", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, code: `DR${codes}` }),
  });
  if (response.status !== 201) throw new Error(`project not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
