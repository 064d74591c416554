import { Database } from "bun:sqlite";
import { afterAll, afterEach, beforeAll, expect, setSystemTime, test } from "bun:test";
import { databasePath } from "../../db.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { rolePermissions } from "../roles/permissions.ts";

let box: TestApp;
let orgId: string;
let userId: string;
// Another connection to the same file, as the CLI would open.
let other: Database;

beforeAll(async () => {
  box = await startInProcessApp();
  orgId = (await setUpBox(box)).orgId;
  userId = await createUser(box, { orgId, role: "manager" });
  other = new Database(databasePath(box.deps.config.dataDir));
  other.run("PRAGMA busy_timeout = 5000");
});
afterEach(() => setSystemTime());
afterAll(() => {
  other.close();
  return box.close();
});

function newKey(expiresAt: Date | null = null): string {
  const scopes = [...rolePermissions.manager];
  return createApiKey(box.deps.db, { orgId, userId, name: "Cached", scopes, expiresAt }, rolePermissions.manager).key;
}

const asKey = (key: string) => box.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
const asSession = (cookie: string) => box.fetch("/api/v1/me", { headers: { Cookie: cookie } });

test("a key revoked by another process (the CLI) is refused at the very next request", async () => {
  const key = newKey();
  expect((await asKey(key)).status).toBe(200);
  expect((await asKey(key)).status).toBe(200);
  other.run("update api_keys set revoked_at = ? where prefix = ?", [Date.now(), key.split("_").slice(0, 2).join("_")]);
  expect((await asKey(key)).status).toBe(401);
});

test("a key that expires while nothing is written is refused once its time has passed", async () => {
  const key = newKey(new Date(Date.now() + 30_000));
  expect((await asKey(key)).status).toBe(200);
  setSystemTime(new Date(Date.now() + 31_000));
  expect((await asKey(key)).status).toBe(401);
});

test("a key's last use is still written once a minute while its caller is remembered", async () => {
  const key = newKey();
  expect((await asKey(key)).status).toBe(200);
  const prefix = key.split("_").slice(0, 2).join("_");
  const lastUsed = () =>
    other.query<{ last_used_at: number }, [string]>("select last_used_at from api_keys where prefix = ?").get(prefix)
      ?.last_used_at;
  const first = lastUsed();
  setSystemTime(new Date(Date.now() + 61_000));
  expect((await asKey(key)).status).toBe(200);
  expect(lastUsed()).toBeGreaterThan(first ?? Number.POSITIVE_INFINITY);
});

test("a session signed out by another process is anonymous at the very next request", async () => {
  const cookie = sessionCookie(box, userId, orgId);
  expect((await asSession(cookie)).status).toBe(200);
  expect((await asSession(cookie)).status).toBe(200);
  other.run("delete from sessions where user_id = ?", [userId]);
  expect((await asSession(cookie)).status).toBe(401);
});

test("a deactivated person's session stops at the very next request", async () => {
  const personId = await createUser(box, { orgId, role: "member" });
  const cookie = sessionCookie(box, personId, orgId);
  expect((await asSession(cookie)).status).toBe(200);
  other.run("update users set status = 'deactivated' where id = ?", [personId]);
  expect((await asSession(cookie)).status).toBe(401);
});

test("a session past its absolute lifetime is refused although nothing was written", async () => {
  const cookie = sessionCookie(box, userId, orgId);
  expect((await asSession(cookie)).status).toBe(200);
  setSystemTime(new Date(Date.now() + 400 * 24 * 3_600_000));
  expect((await asSession(cookie)).status).toBe(401);
});
