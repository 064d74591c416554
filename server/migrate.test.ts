import { afterEach, describe, expect, test } from "bun:test";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeDatabase, type Db, openDatabase } from "./db.ts";
import { MIGRATIONS_DIR, migrate, migrationStatus, SchemaTooNewError } from "./migrate.ts";
import { makeTempDir } from "./testing/harness.ts";

const open: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDb(dir = tempDir()): Db {
  const db = openDatabase(join(dir, "opsbox.db"));
  open.push(db);
  return db;
}
function tempDir(): string {
  const dir = makeTempDir("opsbox-migrate-");
  dirs.push(dir);
  return dir;
}
function tables(db: Db): string[] {
  return db.$client
    .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);
}

/** A copy of the real migrations plus one more, as a newer release would ship. */
function migrationsWithExtra(sql: string): string {
  const dir = join(tempDir(), "migrations");
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const last = journal.entries.at(-1);
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: "9999_extra" });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(dir, "9999_extra.sql"), sql);
  return dir;
}

describe("migrate", () => {
  test("applies the shipped migrations to a new database, once", () => {
    const db = freshDb();
    const first = migrate(db);
    expect(first.length).toBeGreaterThan(0);
    expect(tables(db)).toContain("instance_settings");
    expect(migrate(db)).toEqual([]);
    const status = migrationStatus(db);
    expect(status).toMatchObject({ pending: 0, newerThanCode: false, applied: first.length, known: first.length });
  });

  test("two processes' connections migrating the same file apply each migration once", () => {
    const dir = tempDir();
    const a = freshDb(dir);
    const b = freshDb(dir);
    const appliedByA = migrate(a);
    expect(migrate(b)).toEqual([]);
    const rows = a.$client.query("SELECT COUNT(*) AS n FROM __drizzle_migrations").get() as { n: number };
    expect(rows.n).toBe(appliedByA.length);
  });

  test("applies only what is pending after an upgrade", () => {
    const db = freshDb();
    migrate(db);
    const dir = migrationsWithExtra("CREATE TABLE `upgrade_marker` (`id` integer PRIMARY KEY);");
    expect(migrationStatus(db, dir).pending).toBe(1);
    expect(migrate(db, dir)).toEqual(["9999_extra"]);
    expect(tables(db)).toContain("upgrade_marker");
  });

  test("a failing migration leaves nothing of itself behind", () => {
    const db = freshDb();
    migrate(db);
    const dir = migrationsWithExtra(
      "CREATE TABLE `half_done` (`id` integer PRIMARY KEY);\n--> statement-breakpoint\nTHIS IS NOT SQL;",
    );
    expect(() => migrate(db, dir)).toThrow();
    expect(tables(db)).not.toContain("half_done");
    expect(migrationStatus(db, dir).pending).toBe(1);
  });

  test("refuses a database whose schema is newer than the code", () => {
    const db = freshDb();
    migrate(db, migrationsWithExtra("CREATE TABLE `from_the_future` (`id` integer PRIMARY KEY);"));
    expect(migrationStatus(db).newerThanCode).toBe(true);
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
    expect(() => migrate(db)).toThrow(/newer than this version of Opsbox/);
  });

  test("the server refuses to start on a newer database, with one clear line", async () => {
    const dir = tempDir();
    const db = freshDb(dir);
    migrate(db, migrationsWithExtra("CREATE TABLE `from_the_future` (`id` integer PRIMARY KEY);"));
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
      env: { PATH: process.env.PATH ?? "", OPSBOX_DATA_DIR: dir, PORT: "0" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toStartWith(
      "opsbox: The database schema is newer than this version of Opsbox",
    );
  });
});
