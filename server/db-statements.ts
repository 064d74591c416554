import type { Database, Statement } from "bun:sqlite";
import type { Logger } from "drizzle-orm";
import { PreparedQuery, type SQLiteBunSession } from "drizzle-orm/bun-sqlite/session";

/** The part of drizzle's bun:sqlite session that compiles a query (its logger is private in the types). */
type CompilingSession = Pick<SQLiteBunSession<Record<string, never>, Record<string, never>>, "prepareQuery"> & {
  logger: Logger;
};

/**
 * drizzle's bun:sqlite session compiles the SQL of every query it runs (`Database.prepare`), and
 * for the small indexed reads a console page makes, compiling costs as much as running: the
 * Pulse's seven lists spent a fifth of their time in SQLite's compiler. This keeps the compiled
 * statement of each SQL text of this connection, so a query built again with other values runs
 * the statement compiled the first time. bun:sqlite's own `query()` cache holds only 20.
 *
 * Safe because drizzle only runs a statement to the end at once (all, get, values, run: never a
 * lazy iterator) and never finalizes it; statements over `limit` are forgotten, oldest first,
 * not finalized, since a query drizzle prepared once (db-prepared.ts) may still hold one.
 */
export function reuseCompiledStatements(client: Database, session: unknown, limit = 1_000): void {
  const compiling = session as CompilingSession;
  const compiled = new Map<string, Statement>();
  compiling.prepareQuery = (query, fields, executeMethod, isResponseInArrayMode, customResultMapper) => {
    let statement = compiled.get(query.sql);
    if (!statement) {
      statement = client.prepare(query.sql);
      if (compiled.size >= limit) {
        const oldest = compiled.keys().next().value;
        if (oldest !== undefined) compiled.delete(oldest);
      }
      compiled.set(query.sql, statement);
    }
    return new PreparedQuery(
      statement,
      query,
      compiling.logger,
      fields,
      executeMethod,
      isResponseInArrayMode,
      customResultMapper,
    );
  };
}
