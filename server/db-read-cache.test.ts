import { afterEach, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { closeDatabase, type Db, openDatabase } from "./db.ts";
import { readUntilWrite } from "./db-read-cache.ts";
import { makeTempDir } from "./testing/harness.ts";

const dirs: string[] = [];
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoConnections(): [Db, Db] {
  const dir = makeTempDir("opsbox-read-cache-");
  dirs.push(dir);
  const first = openDatabase(join(dir, "cache.db"));
  first.run(sql`create table things (name text)`);
  const second = openDatabase(join(dir, "cache.db"));
  open.push(second, first);
  return [first, second];
}

const names = (db: Db) => db.all<{ name: string }>(sql`select name from things order by name`).map((row) => row.name);

describe("reads kept until the next write", () => {
  test("a value is read once while nothing is written", () => {
    const [db] = twoConnections();
    let reads = 0;
    const read = () =>
      readUntilWrite(db, "things", () => {
        reads++;
        return names(db);
      });
    expect(read()).toEqual([]);
    expect(read()).toEqual([]);
    expect(reads).toBe(1);
  });

  test("a write on the same connection or on another one is seen at once", () => {
    const [db, other] = twoConnections();
    const read = () => readUntilWrite(db, "things", () => names(db));
    expect(read()).toEqual([]);
    db.run(sql`insert into things values ('anvil')`);
    expect(read()).toEqual(["anvil"]);
    other.run(sql`insert into things values ('bellows')`);
    expect(read()).toEqual(["anvil", "bellows"]);
  });

  test("inside a transaction nothing is kept, so a rolled-back write is never served", () => {
    const [db] = twoConnections();
    const read = () => readUntilWrite(db, "things", () => names(db));
    expect(() =>
      db.transaction((tx) => {
        tx.run(sql`insert into things values ('crucible')`);
        expect(read()).toEqual(["crucible"]);
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(read()).toEqual([]);
  });
});
