import { afterEach, expect, spyOn, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { closeDatabase, type Db, openDatabase, sqliteVecVersion } from "./db.ts";
import { makeTempDir } from "./testing/harness.ts";

let dir = "";
let db: Db | null = null;
afterEach(() => {
  if (db) closeDatabase(db);
  db = null;
  rmSync(dir, { recursive: true, force: true });
});

function pragma(name: string): unknown {
  const row = db?.$client.query(`PRAGMA ${name}`).get() as Record<string, unknown> | null;
  return row ? Object.values(row)[0] : undefined;
}

test("opens with WAL, synchronous=FULL, a 5 s busy timeout and foreign keys on", () => {
  dir = makeTempDir();
  db = openDatabase(join(dir, "opsbox.db"));
  expect(pragma("journal_mode")).toBe("wal");
  expect(pragma("synchronous")).toBe(2); // 2 = FULL
  expect(Number(pragma("busy_timeout"))).toBeGreaterThanOrEqual(5000);
  expect(pragma("foreign_keys")).toBe(1);
});

test("loads sqlite-vec, so vector tables and distance functions work", () => {
  dir = makeTempDir();
  db = openDatabase(join(dir, "opsbox.db"));
  expect(sqliteVecVersion(db)).toMatch(/^v\d+\.\d+\.\d+/);
  const distance = db.$client.query("SELECT vec_distance_l2('[0, 0]', '[3, 4]') AS d").get() as { d: number };
  expect(distance.d).toBe(5);
});

test("closing folds the WAL back into the database file", () => {
  dir = makeTempDir();
  const path = join(dir, "opsbox.db");
  db = openDatabase(path);
  db.$client.run("CREATE TABLE t (x)");
  db.$client.run("INSERT INTO t VALUES (1)");
  closeDatabase(db);
  db = null;
  expect(Bun.file(`${path}-wal`).size).toBe(0);
});

test("a query built again with other values runs the statement compiled the first time, with the new values", () => {
  dir = makeTempDir();
  db = openDatabase(join(dir, "opsbox.db"));
  db.$client.run("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  db.$client.run("INSERT INTO notes (body) VALUES ('first'), ('second')");
  const prepare = spyOn(db.$client, "prepare");
  const bodyOf = (id: number) => db?.all<{ body: string }>(sql`SELECT body FROM notes WHERE id = ${id}`)[0]?.body;
  expect([bodyOf(1), bodyOf(2), bodyOf(1), bodyOf(3)]).toEqual(["first", "second", "first", undefined]);
  expect(prepare).toHaveBeenCalledTimes(1);
  // A savepoint rolled back inside a transaction still undoes only its own write.
  db.transaction((tx) => {
    tx.run(sql`INSERT INTO notes (body) VALUES (${"kept"})`);
    expect(() =>
      tx.transaction((savepoint) => {
        savepoint.run(sql`INSERT INTO notes (body) VALUES (${"undone"})`);
        throw new Error("refused");
      }),
    ).toThrow("refused");
  });
  expect(db.all<{ body: string }>(sql`SELECT body FROM notes ORDER BY id`).map((row) => row.body)).toEqual([
    "first",
    "second",
    "kept",
  ]);
});
