import type { Db } from "../../db.ts";
import { databaseVersion } from "../../db-read-cache.ts";
import type { Auth } from "./context.ts";

/**
 * Who a credential (an API key, a session cookie) resolved to, reused until anything at all is
 * written to the database, by this process or another (the CLI): revoking a key, signing out,
 * deactivating a person or changing a role is a write, so the next request resolves afresh and
 * is refused at once. Time is not a write, so `isCurrent` is asked on every reuse: expiry, and
 * whether the once-a-minute last-used or last-seen update is due (the full path writes it).
 * Resolving costs 5–7 statements and drizzle's row mapping (60–300 µs a request, bench/RESULTS.md).
 * A failed resolution is not kept. Cached values are shared between requests: never modify them.
 */
type Entry = { version: string; auth: Auth };

const MAX_ENTRIES = 1_000;
const caches = new WeakMap<Db, Map<string, Entry>>();

export function rememberedAuth(
  db: Db,
  credential: string,
  isCurrent: (auth: Auth, now: number) => boolean,
  resolve: () => Auth | null,
): Auth | null {
  if (db.$client.inTransaction) return resolve();
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  // Read before resolving: a write that lands in between makes the next request resolve again.
  const version = databaseVersion(db);
  const hit = cache.get(credential);
  if (hit && hit.version === version && isCurrent(hit.auth, Date.now())) return hit.auth;
  const auth = resolve();
  if (!auth) {
    cache.delete(credential);
    return null;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(credential, { version, auth });
  return auth;
}
