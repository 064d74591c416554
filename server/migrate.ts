import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./db.ts";

/** drizzle-kit's folder of generated SQL; never edited by hand once released. */
export const MIGRATIONS_DIR = join(import.meta.dir, "..", "migrations");
// The table name drizzle's own migrator uses, so drizzle-kit tooling still understands the database.
const MIGRATIONS_TABLE = "__drizzle_migrations";

export type MigrationStatus = {
  /** Migrations this code knows, in order. */
  known: number;
  /** Migrations recorded in the database. */
  applied: number;
  /** Known migrations not yet applied. */
  pending: number;
  /** Tag of the newest migration this code knows (the schema version it expects). */
  expectedVersion: string | null;
  /** True when the database has migrations this code does not know: it was upgraded by newer code. */
  newerThanCode: boolean;
};

/** Raised when the database was migrated by a newer Opsbox; starting would risk corrupting it. */
export class SchemaTooNewError extends Error {
  override name = "SchemaTooNewError";
}

type KnownMigration = { tag: string; hash: string; createdAt: number; statements: string[] };

function knownMigrations(dir: string): KnownMigration[] {
  const journal = JSON.parse(readFileSync(join(dir, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  return readMigrationFiles({ migrationsFolder: dir }).map((migration, index) => ({
    tag: journal.entries[index]?.tag ?? String(index),
    hash: migration.hash,
    createdAt: migration.folderMillis,
    statements: migration.sql.filter((statement) => statement.trim() !== ""),
  }));
}

function ensureMigrationsTable(db: Db): void {
  db.$client.run(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`,
  );
}

function appliedMigrations(db: Db): { hash: string; createdAt: number }[] {
  const exists = db.$client
    .query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (!exists) return [];
  return db.$client
    .query<{ hash: string; createdAt: number }, []>(
      `SELECT hash, CAST(created_at AS INTEGER) AS createdAt FROM ${MIGRATIONS_TABLE} ORDER BY created_at, id`,
    )
    .all();
}

function statusOf(known: KnownMigration[], applied: { hash: string; createdAt: number }[]): MigrationStatus {
  const knownTimes = new Set(known.map((migration) => migration.createdAt));
  const newest = known.at(-1)?.createdAt ?? 0;
  const appliedTimes = new Set(applied.map((migration) => migration.createdAt));
  return {
    known: known.length,
    applied: applied.length,
    pending: known.filter((migration) => !appliedTimes.has(migration.createdAt)).length,
    expectedVersion: known.at(-1)?.tag ?? null,
    newerThanCode: applied.some((migration) => migration.createdAt > newest || !knownTimes.has(migration.createdAt)),
  };
}

/** Compares the database with the migrations this code ships, without changing anything. */
export function migrationStatus(db: Db, dir = MIGRATIONS_DIR): MigrationStatus {
  return statusOf(knownMigrations(dir), appliedMigrations(db));
}

/**
 * Applies every pending migration in one IMMEDIATE transaction: two processes starting at
 * once serialise on the write lock and the second finds nothing left to do. Refuses a
 * database that a newer Opsbox has migrated. Returns the tags it applied.
 */
export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  const known = knownMigrations(dir);
  ensureMigrationsTable(db);
  const run = db.$client.transaction(() => {
    const applied = appliedMigrations(db);
    const status = statusOf(known, applied);
    if (status.newerThanCode) {
      throw new SchemaTooNewError(
        `The database schema is newer than this version of Opsbox (it knows ${status.known} migrations up to ${status.expectedVersion ?? "none"}, the database has ${status.applied}). Upgrade Opsbox, or restore a backup made by this version.`,
      );
    }
    const appliedTimes = new Set(applied.map((migration) => migration.createdAt));
    const done: string[] = [];
    for (const migration of known) {
      if (appliedTimes.has(migration.createdAt)) continue;
      for (const statement of migration.statements) db.$client.run(statement);
      db.$client
        .query(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`)
        .run(migration.hash, migration.createdAt);
      done.push(migration.tag);
    }
    return done;
  });
  return run.immediate();
}
