import type { Db, DbTransaction } from "../../db.ts";
import { preparedQuery, sqliteOf } from "../../db-prepared.ts";

/**
 * Group commit for writes that answer a request. With synchronous=FULL every commit waits for
 * the disk, and the search index writes a new segment per commit: one commit per created task
 * caps creation near 1,300 a second on a 2-core box even in bare SQL. Writes queued in the same
 * turn of the event loop therefore share ONE transaction: each runs in a savepoint of its own
 * (all of it or nothing of it: the task row, its history row and its event), and each caller is
 * answered only once that transaction has committed, so an answered write is as durable as
 * before. The batch runs synchronously, so no other code ever runs inside it.
 */
type Pending = { work: (tx: DbTransaction) => unknown; settle: (outcome: Outcome) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const queues = new WeakMap<Db, Pending[]>();

export function inSharedCommit<T>(db: Db, work: (tx: DbTransaction) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = queues.get(db);
    if (!queue) {
      queue = [];
      queues.set(db, queue);
      // After the requests that arrived together have queued their writes.
      setImmediate(() => flush(db));
    }
    queue.push({
      work,
      settle: (outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error)),
    });
  });
}

function flush(db: Db): void {
  const queue = queues.get(db) ?? [];
  queues.delete(db);
  const outcomes: Outcome[] = [];
  try {
    const savepoint = savepointStatements(db);
    db.transaction((tx) => {
      for (const pending of queue) {
        // A savepoint: a refused write (422, 403) rolls back alone; the others still commit. Set
        // by hand rather than with tx.transaction(), which builds a drizzle database object (a
        // query builder per table of the schema) for every task of the batch.
        savepoint.begin.run();
        try {
          outcomes.push({ ok: true, value: pending.work(tx) });
          savepoint.release.run();
        } catch (error) {
          savepoint.rollback.run();
          savepoint.release.run();
          outcomes.push({ ok: false, error });
        }
      }
    });
  } catch (error) {
    // The commit itself failed (disk full, I/O error): nothing of the batch was written.
    for (const pending of queue) pending.settle({ ok: false, error });
    return;
  }
  queue.forEach((pending, index) => {
    pending.settle(outcomes[index] ?? { ok: false, error: new Error("no outcome") });
  });
}

function savepointStatements(db: Db) {
  return preparedQuery(db, "sharedCommit.savepoint", () => {
    const client = sqliteOf(db);
    return {
      begin: client.prepare("SAVEPOINT shared_commit_item"),
      release: client.prepare("RELEASE shared_commit_item"),
      rollback: client.prepare("ROLLBACK TO shared_commit_item"),
    };
  });
}
