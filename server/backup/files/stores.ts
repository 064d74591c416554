import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { syncDirectory } from "../../knowledge/upload/files.ts";
import type { BackupTarget, S3Replica } from "../settings.ts";

/**
 * Where the uploaded files' encrypted copies go: the same replicas as the database, beside
 * Litestream's `generations/`, as `files/<sha256>.age`.
 */
export type FileStore = {
  /** "s3" or "directory", as in status. */
  name: string;
  /** Names the place itself, so that confirmations of an old bucket do not count for a new one. */
  replica: string;
  put: (sha256: string, bytes: Uint8Array) => Promise<void>;
  /** The stored bytes, or null when there are none. */
  get: (sha256: string) => Promise<Uint8Array | null>;
  remove: (sha256: string) => Promise<void>;
};

const objectName = (sha256: string) => `${sha256}.age`;

/** The target's replicas, S3 first. */
export function fileStores(target: BackupTarget): FileStore[] {
  return [...(target.s3 ? [s3Store(target.s3)] : []), ...(target.directory ? [directoryStore(target.directory)] : [])];
}

function s3Store(s3: S3Replica): FileStore {
  const client = new Bun.S3Client({
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...s3Endpoint(s3),
  });
  const prefix = s3.path.replace(/^\/+|\/+$/g, "");
  const key = (sha256: string) => `${prefix ? `${prefix}/` : ""}files/${objectName(sha256)}`;
  return {
    name: "s3",
    replica: `s3 ${s3.endpoint ?? "aws"}/${s3.bucket}/${prefix}`,
    put: async (sha256, bytes) => {
      await client.write(key(sha256), bytes);
    },
    get: async (sha256) => {
      try {
        return new Uint8Array(await client.file(key(sha256)).arrayBuffer());
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    remove: (sha256) => client.delete(key(sha256)),
  };
}

/** Path-style against the endpoint as given, or the bucket in the host name as AWS prefers. */
function s3Endpoint(s3: S3Replica): { endpoint?: string; virtualHostedStyle?: boolean } {
  if (s3.forcePathStyle) return s3.endpoint ? { endpoint: s3.endpoint } : {};
  const base = new URL(s3.endpoint ?? `https://s3.${s3.region}.amazonaws.com`);
  base.hostname = `${s3.bucket}.${base.hostname}`;
  return { endpoint: base.origin, virtualHostedStyle: true };
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "NoSuchKey";
}

function directoryStore(directory: string): FileStore {
  const dir = join(directory, "files");
  return {
    name: "directory",
    replica: `directory ${directory}`,
    put: async (sha256, bytes) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = join(dir, objectName(sha256));
      const partial = `${target}.partial`;
      writeFileSync(partial, bytes, { mode: 0o600, flush: true });
      renameSync(partial, target);
      syncDirectory(dir);
    },
    get: async (sha256) => {
      try {
        return new Uint8Array(readFileSync(join(dir, objectName(sha256))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    remove: async (sha256) => rmSync(join(dir, objectName(sha256)), { force: true }),
  };
}
