import { Database, type SQLQueryBindings } from "bun:sqlite";
import { is, Placeholder } from "drizzle-orm";
import type { Queryable } from "./db.ts";

/**
 * Prepared drizzle queries, kept per database connection and per query shape. Authentication
 * (every request), the task list and task creation are the hottest paths of the box: building
 * and compiling their SQL on every request costs more than running it. A transaction handle
 * shares its connection's statements.
 */
const caches = new WeakMap<object, Map<string, unknown>>();

export function preparedQuery<Query>(db: Queryable, key: string, build: () => Query): Query {
  const owner = connectionOf(db);
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  let query = cache.get(key) as Query | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}

/** What rawStatement runs: the SQL drizzle wrote, with its placeholders by name. */
export type RawStatement<Row> = {
  all: (values: Record<string, unknown>) => Row[];
  sql: string;
  /** The values to bind for these placeholder values, in the order of the SQL. */
  bind: (values: Record<string, unknown>) => unknown[];
};

/**
 * A query written with drizzle, run by bun:sqlite directly and answered as plain rows (column
 * names as keys). For the task list only: drizzle's own row mapping costs more than SQLite's
 * work for a page of 50 tasks, and the caller maps the few columns it needs itself.
 */
export function rawStatement<Row>(
  db: Queryable,
  key: string,
  build: () => { toSQL: () => { sql: string; params: unknown[] } },
): RawStatement<Row> {
  return preparedQuery(db, `raw:${key}`, () => {
    const query = build().toSQL();
    const statement = sqliteOf(db).prepare(query.sql);
    // Each parameter is a placeholder (filled per call) or a value fixed in the query.
    const bindings: [name: string | null, value: unknown][] = query.params.map((param) =>
      is(param, Placeholder) ? [String(param.name), undefined] : [null, param],
    );
    const bind = (values: Record<string, unknown>) =>
      bindings.map(([name, value]) => (name === null ? value : values[name]));
    return {
      sql: query.sql,
      bind,
      all: (values: Record<string, unknown>) => statement.all(...(bind(values) as never[])) as Row[],
    };
  });
}

/** The bun:sqlite connection behind a database or transaction handle. */
function connectionOf(db: Queryable): object {
  const session = (db as unknown as { session?: { client?: object } }).session;
  return session?.client ?? db;
}

/** The bun:sqlite Database behind a drizzle handle (for what drizzle does not expose). */
export function sqliteOf(db: Queryable): Database {
  const client = connectionOf(db);
  if (!(client instanceof Database)) throw new Error("no bun:sqlite connection behind this database handle");
  return client;
}

/**
 * SQLite's plan for a statement (tests and benchmarks check index use), one line per step. The
 * EXPLAIN statement is its own and finalized at once: a kept one holds the database busy at close.
 */
export function queryPlan(db: Queryable, text: string, params: SQLQueryBindings[]): string[] {
  const explain = sqliteOf(db).prepare<{ detail: string }, SQLQueryBindings[]>(`EXPLAIN QUERY PLAN ${text}`);
  try {
    return explain.all(...params).map((row) => row.detail);
  } finally {
    explain.finalize();
  }
}
