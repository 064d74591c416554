import { Database } from "bun:sqlite";
import { join } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import * as sqliteVec from "sqlite-vec";
import * as schema from "../models/index.ts";
import { reuseCompiledStatements } from "./db-statements.ts";

export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

export const DATABASE_FILE = "opsbox.db";

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Opens the database with the settings every connection needs: WAL, synchronous=FULL (an
 * acknowledged commit survives a power cut), a 5 s busy timeout, foreign keys, sqlite-vec, and
 * a 64 MiB page cache (SQLite's default is 2 MiB: at 1M chunks search's index pages did not fit,
 * and each probe of the organisation index went to the OS; the keyword side's slow queries
 * took ~20% longer). The cache grows only as pages are read.
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  const client = options.readonly
    ? new Database(path, { readonly: true, strict: true })
    : new Database(path, { create: true, readwrite: true, strict: true });
  try {
    client.run("PRAGMA busy_timeout = 5000");
    if (!options.readonly) client.run("PRAGMA journal_mode = WAL");
    client.run("PRAGMA synchronous = FULL");
    client.run("PRAGMA foreign_keys = ON");
    client.run("PRAGMA cache_size = -65536");
    sqliteVec.load(client);
  } catch (error) {
    client.close();
    throw error;
  }
  const db = drizzle({ client, schema }) as Db;
  reuseCompiledStatements(client, (db as unknown as { session: unknown }).session);
  return db;
}

/** Folds the WAL back into the database file and closes it; the last step of a clean stop. */
export function closeDatabase(db: Db): void {
  try {
    db.$client.run("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.$client.close();
  }
}

export function sqliteVersion(db: Db): string {
  return db.$client.query<{ version: string }, []>("SELECT sqlite_version() AS version").get()?.version ?? "unknown";
}

export function sqliteVecVersion(db: Db): string {
  return db.$client.query<{ version: string }, []>("SELECT vec_version() AS version").get()?.version ?? "unknown";
}

/** A transaction handle: what `db.transaction((tx) => …)` passes in. */
export type DbTransaction = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Services that work inside or outside a transaction take this. */
export type Queryable = Db | DbTransaction;
