import type { Database, Statement } from "bun:sqlite";
import type { Queryable } from "./db.ts";
import { sqliteOf } from "./db-prepared.ts";

/**
 * Reads that stay valid until the database changes: the people and projects that every task
 * list offers as filter choices. A value is reused only while nothing at all was written since
 * it was read, by this connection (SQLite's total_changes()) or by any other one (PRAGMA
 * data_version: the CLI, the ingestion worker), so a cached value is never staler than a fresh
 * read. Inside a transaction nothing is cached: what it reads may still be rolled back.
 * Cached values are shared between requests: callers must not modify them.
 */
type Entry = { version: string; value: unknown };

// Whole drawn pages are kept too (the reports page): a bound on entries bounds the memory.
const MAX_ENTRIES = 2_000;
const caches = new WeakMap<
  Database,
  { version: Statement<{ changes: number; version: number }>; entries: Map<string, Entry>; seen: string }
>();

function cacheOf(client: Database) {
  let cache = caches.get(client);
  if (!cache) {
    cache = {
      version: client.prepare("select total_changes() as changes, data_version as version from pragma_data_version"),
      entries: new Map(),
      seen: "",
    };
    caches.set(client, cache);
  }
  return cache;
}

/**
 * A value that changes whenever anything was written to the database, by this connection or
 * another one (one tiny statement): what a reader compares to know that its copy is still current.
 */
export function databaseVersion(db: Queryable): string {
  return versionOf(sqliteOf(db));
}

function versionOf(client: Database): string {
  const now = cacheOf(client).version.get();
  return now ? `${now.changes}:${now.version}` : "";
}

export function readUntilWrite<T>(db: Queryable, key: string, read: () => T): T {
  const client = sqliteOf(db);
  if (client.inTransaction) return read();
  const cache = cacheOf(client);
  const version = versionOf(client);
  if (version !== cache.seen) {
    // Something was written: every value kept so far is stale and can never be read again.
    cache.entries.clear();
    cache.seen = version;
  }
  const hit = cache.entries.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = read();
  if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
  cache.entries.set(key, { version, value });
  return value;
}
