import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BackupTarget } from "./settings.ts";

export type LitestreamOptions = {
  /** The database Litestream replicates (the data directory's opsbox.db). */
  databasePath: string;
  /** How often Litestream ships new WAL frames to each replica; 1 s by default. */
  syncIntervalMs: number;
  /**
   * Put the key's identity in the file, for commands that read the replicas (restore). The
   * replicating child only encrypts, so its long-lived file holds the public recipient alone.
   */
  decrypt?: boolean;
};

/** Litestream's config file and the environment that carries the S3 credentials. */
export type LitestreamPlan = { yaml: string; env: Record<string, string> };

export const REPLICA_NAMES = { s3: "s3", directory: "directory" } as const;
const SNAPSHOT_INTERVAL = "24h";
const RETENTION_CHECK_INTERVAL = "1h";

/**
 * The config for `litestream replicate`. The S3 secret never enters the file: it travels in the
 * child's environment (LITESTREAM_ACCESS_KEY_ID / LITESTREAM_SECRET_ACCESS_KEY), and the file is
 * read with -no-expand-env so that a `$` in a path is not taken for a variable.
 */
export function litestreamPlan(target: BackupTarget, options: LitestreamOptions): LitestreamPlan {
  const every = `${options.syncIntervalMs}ms`;
  const kept = `${target.retentionDays * 24}h`;
  const common = [
    `sync-interval: ${every}`,
    `snapshot-interval: ${SNAPSHOT_INTERVAL}`,
    `retention: ${kept}`,
    `retention-check-interval: ${RETENTION_CHECK_INTERVAL}`,
    ...ageLines(target, options.decrypt ?? false),
  ];
  const replicas: string[][] = [];
  if (target.s3) {
    replicas.push([
      `name: ${REPLICA_NAMES.s3}`,
      "type: s3",
      `bucket: ${quote(target.s3.bucket)}`,
      `path: ${quote(target.s3.path)}`,
      `region: ${quote(target.s3.region)}`,
      ...(target.s3.endpoint ? [`endpoint: ${quote(target.s3.endpoint)}`] : []),
      `force-path-style: ${target.s3.forcePathStyle}`,
      ...common,
    ]);
  }
  if (target.directory) {
    replicas.push([`name: ${REPLICA_NAMES.directory}`, "type: file", `path: ${quote(target.directory)}`, ...common]);
  }
  const yaml = [
    "# Written by Opsbox from its backup settings (Settings or setup); edits here are overwritten.",
    "logging:",
    "  level: info",
    "  type: text",
    "dbs:",
    `  - path: ${quote(options.databasePath)}`,
    `    monitor-interval: ${every}`,
    "    replicas:",
    ...replicas.flatMap(([first, ...rest]) => [`      - ${first}`, ...rest.map((line) => `        ${line}`)]),
    "",
  ].join("\n");
  const env: Record<string, string> = target.s3
    ? { LITESTREAM_ACCESS_KEY_ID: target.s3.accessKeyId, LITESTREAM_SECRET_ACCESS_KEY: target.s3.secretAccessKey }
    : {};
  return { yaml, env };
}

/** Litestream 0.3's age encryption of a replica: every snapshot and WAL segment, with the box's backup key. */
function ageLines(target: BackupTarget, decrypt: boolean): string[] {
  if (!target.key) return [];
  return [
    "age:",
    "  recipients:",
    `    - ${quote(target.key.recipient)}`,
    ...(decrypt ? ["  identities:", `    - ${quote(target.key.identity)}`] : []),
  ];
}

/** A JSON string is a valid YAML double-quoted scalar. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/** Where Opsbox keeps what it writes for backups: the config, the supervisor's state. */
export function backupDir(dataDir: string): string {
  return join(dataDir, "backup");
}

export function litestreamConfigPath(dataDir: string): string {
  return join(backupDir(dataDir), "litestream.yml");
}

/** Writes the config (mode 0600) where `litestream -config` reads it; returns its path. */
export function writeLitestreamConfig(dataDir: string, yaml: string, path = litestreamConfigPath(dataDir)): string {
  mkdirSync(backupDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileSync(path, yaml, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
