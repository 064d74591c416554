import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { apiKeys, customRoles, memberships, sessions, users } from "../../models/identity.ts";
import { createApiKey, revokeApiKey } from "../auth/keys/api-keys.ts";
import { type Permission, permissions, rolePermissions } from "../auth/roles/permissions.ts";
import { createSession, sessionPolicyDefaults } from "../auth/sessions/sessions.ts";
import { sessionCookieName } from "../http/session-cookie.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { newId } from "../tools/ids.ts";
import { type EventInput, publishEvent } from "./publish.ts";
import { openSse, type SseClient, type SseMessage } from "./sse-test-kit.ts";

/*
 * An open stream outlives the request that authenticated it: what it delivers must follow the
 * caller's permissions as they are now, and it must end soon after the caller lost access.
 */

let box: TestApp;
let orgId = "";
let counter = 0;

beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
});
afterAll(() => box.close());

function keyFor(userId: string, scopes: readonly Permission[]): { key: string; id: string } {
  const created = createApiKey(
    box.deps.db,
    { orgId, userId, name: `stream key ${++counter}`, scopes: [...scopes], expiresAt: null },
    new Set(permissions),
  );
  return { key: created.key, id: created.apiKey.id };
}

function publish(input: Pick<EventInput, "type" | "subjectType"> & { summary: string }): void {
  box.deps.db.transaction((tx) =>
    publishEvent(tx, { orgId, userId: null }, { subjectId: `sub_${++counter}`, ...input }),
  );
}

const invoicePaid = (summary: string) => publish({ type: "invoice.status_changed", subjectType: "invoice", summary });
const taskMoved = (summary: string) => publish({ type: "task.updated", subjectType: "task", summary });

/** What a stream said: API messages are JSON, console ones HTML. */
const said = (stream: SseClient) => stream.messages.map((message: SseMessage) => message.data).join("\n");

function setRole(userId: string, role: string): void {
  box.deps.db.update(memberships).set({ role }).where(eq(memberships.userId, userId)).run();
}

/** Resolves when the stream has ended, fails after `ms`. */
async function endsWithin(stream: SseClient, ms: number): Promise<number> {
  const started = performance.now();
  await Promise.race([
    stream.ended,
    Bun.sleep(ms).then(() => Promise.reject(new Error(`the stream was still open after ${ms} ms`))),
  ]);
  return performance.now() - started;
}

describe("an open stream follows the caller's permissions as they are now", () => {
  test("a manager demoted to viewer stops getting invoice events, on a key and on a session", async () => {
    const managerId = await createUser(box, { orgId, role: "manager" });
    const key = keyFor(managerId, [...rolePermissions.manager]);
    const viaKey = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    const viaSession = await openSse(box, "/api/v1/events", { Cookie: sessionCookie(box, managerId, orgId) });
    try {
      invoicePaid("paid while a manager");
      await viaKey.waitFor(1);
      await viaSession.waitFor(1);
      setRole(managerId, "viewer");
      invoicePaid("paid after the demotion");
      taskMoved("task after the demotion");
      await viaKey.waitFor(2);
      await viaSession.waitFor(2);
      for (const stream of [viaKey, viaSession]) {
        expect(said(stream)).toContain("paid while a manager");
        expect(said(stream)).toContain("task after the demotion");
        expect(said(stream)).not.toContain("paid after the demotion");
      }
    } finally {
      await Promise.all([viaKey.close(), viaSession.close()]);
    }
  });

  test("a custom role edited to drop invoices.manage stops invoice events at once", async () => {
    const roleId = newId("rol");
    box.deps.db
      .insert(customRoles)
      .values({ id: roleId, orgId, name: `Billing ${roleId}`, permissions: ["workspace.read", "invoices.manage"] })
      .run();
    const clerkId = await createUser(box, { orgId, role: roleId });
    const key = keyFor(clerkId, ["workspace.read", "invoices.manage"]);
    const stream = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    try {
      invoicePaid("paid before the edit");
      await stream.waitFor(1);
      box.deps.db
        .update(customRoles)
        .set({ permissions: ["workspace.read"] })
        .where(eq(customRoles.id, roleId))
        .run();
      invoicePaid("paid after the edit");
      taskMoved("task after the edit");
      await stream.waitFor(2);
      expect(said(stream)).not.toContain("paid after the edit");
      expect(said(stream)).toContain("task after the edit");
    } finally {
      await stream.close();
    }
  });

  test("the Pulse's stream stops showing invoice events to a demoted manager", async () => {
    const managerId = await createUser(box, { orgId, role: "manager" });
    const stream = await openSse(box, "/pulse/stream", { Cookie: sessionCookie(box, managerId, orgId) });
    try {
      invoicePaid("pulse: paid while a manager");
      await stream.waitFor(1);
      setRole(managerId, "viewer");
      invoicePaid("pulse: paid after the demotion");
      taskMoved("pulse: task after the demotion");
      await stream.waitFor(2);
      expect(said(stream)).toContain("pulse: paid while a manager");
      expect(said(stream)).toContain("pulse: task after the demotion");
      expect(said(stream)).not.toContain("pulse: paid after the demotion");
    } finally {
      await stream.close();
    }
  });
});

test("a session that has not chosen an organisation keeps its stream (it works in the person's first)", async () => {
  const userId = await createUser(box, { orgId, role: "member" });
  const { token } = createSession(box.deps.db, {
    userId,
    orgId: null,
    twoFactorVerified: true,
    policy: sessionPolicyDefaults,
  });
  const stream = await openSse(box, "/pulse/stream", { Cookie: `${sessionCookieName(box.config.baseUrl)}=${token}` });
  try {
    expect(stream.response.status).toBe(200);
    await Bun.sleep(400);
    taskMoved("seen by a session without a chosen organisation");
    await stream.waitFor(1);
  } finally {
    await stream.close();
  }
});

describe("an open stream ends within a second once the caller lost access", () => {
  test("a revoked API key", async () => {
    const key = keyFor((await setUpPerson("member")).userId, ["workspace.read"]);
    const stream = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    expect(stream.response.status).toBe(200);
    revokeApiKey(box.deps.db, orgId, key.id);
    expect(await endsWithin(stream, 1000)).toBeLessThan(1000);
  });

  test("an expired API key (its expiry moved into the past)", async () => {
    const key = keyFor((await setUpPerson("member")).userId, ["workspace.read"]);
    const stream = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    box.deps.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id))
      .run();
    await endsWithin(stream, 1000);
  });

  test("a revoked session, on the API stream and on a console stream", async () => {
    const { userId, cookie } = await setUpPerson("member");
    const api = await openSse(box, "/api/v1/events", { Cookie: cookie });
    const pulse = await openSse(box, "/pulse/stream", { Cookie: cookie });
    expect(pulse.response.status).toBe(200);
    box.deps.db.delete(sessions).where(eq(sessions.userId, userId)).run();
    await Promise.all([endsWithin(api, 1000), endsWithin(pulse, 1000)]);
  });

  test("a deactivated person", async () => {
    const { userId, cookie } = await setUpPerson("member");
    const key = keyFor(userId, ["workspace.read"]);
    const viaSession = await openSse(box, "/tasks/board/stream", { Cookie: cookie });
    const viaKey = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    expect(viaSession.response.status).toBe(200);
    box.deps.db.update(users).set({ status: "deactivated" }).where(eq(users.id, userId)).run();
    await Promise.all([endsWithin(viaSession, 1000), endsWithin(viaKey, 1000)]);
  });

  test("a removed membership", async () => {
    const { userId, cookie } = await setUpPerson("member");
    const key = keyFor(userId, ["workspace.read"]);
    const viaSession = await openSse(box, "/api/v1/events", { Cookie: cookie });
    const viaKey = await openSse(box, "/api/v1/events", { Authorization: `Bearer ${key.key}` });
    box.deps.db.delete(memberships).where(eq(memberships.userId, userId)).run();
    await Promise.all([endsWithin(viaSession, 1000), endsWithin(viaKey, 1000)]);
  });

  test("a role that no longer reads the workspace", async () => {
    const roleId = newId("rol");
    box.deps.db
      .insert(customRoles)
      .values({ id: roleId, orgId, name: `Reader ${roleId}`, permissions: ["workspace.read"] })
      .run();
    const { cookie } = await setUpPerson(roleId);
    const stream = await openSse(box, "/api/v1/events", { Cookie: cookie });
    box.deps.db
      .update(customRoles)
      .set({ permissions: ["documents.upload"] })
      .where(eq(customRoles.id, roleId))
      .run();
    await endsWithin(stream, 1000);
  });
});

async function setUpPerson(role: string): Promise<{ userId: string; cookie: string }> {
  const userId = await createUser(box, { orgId, role });
  return { userId, cookie: sessionCookie(box, userId, orgId) };
}
