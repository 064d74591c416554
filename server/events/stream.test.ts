import { afterEach, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Hono } from "hono";
import type { DomainEvent } from "../../models/events.ts";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { permissions } from "../auth/roles/permissions.ts";
import { createLogger } from "../http/logger.ts";
import { Lifecycle } from "../lifecycle.ts";
import { makeTempDir, type ServerProcess, spawnServer, startTestApp, testEnv } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { announceEvents } from "./bus.ts";
import { openSse } from "./sse-test-kit.ts";
import { eventStreamResponse, openEventStreamCount, sseMessage } from "./stream.ts";

const log = createLogger("error");
const everyPermission = new Set(permissions);
let cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A bare server around eventStreamResponse, with events kept in memory. */
function serveStream(options: { allowed?: () => boolean; heartbeatMs?: number; events?: DomainEvent[] } = {}) {
  const lifecycle = new Lifecycle(log);
  const events = options.events ?? [];
  const app = new Hono().get("/stream", (c) =>
    eventStreamResponse(c, {
      orgId: "org_a",
      afterSeq: 0,
      access: () => (options.allowed && !options.allowed() ? null : everyPermission),
      readAfter: (seq, limit) => events.filter((event) => event.seq > seq).slice(0, limit),
      format: (batch) => batch.map((event) => sseMessage({ id: `evt_${event.seq}`, data: event.summary })).join(""),
      lifecycle,
      log,
      heartbeatMs: options.heartbeatMs,
    }),
  );
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  cleanup.push(() => server.stop(true));
  const box = { fetch: (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init) };
  return { lifecycle, events, box: box as unknown as Parameters<typeof openSse>[0] };
}

function event(seq: number, summary: string): DomainEvent {
  return {
    seq,
    orgId: "org_a",
    type: "task.updated",
    subjectType: "task",
    subjectId: "tsk_1",
    actorId: null,
    permission: null,
    audience: [],
    summary,
    data: {},
    createdAt: new Date(),
  };
}

test("multi-line data becomes several data: lines; ids and types stay on one line", () => {
  expect(sseMessage({ id: "evt_1", event: "a\nb", data: "<li>\n</li>" })).toBe(
    "id: evt_1\nevent: a b\ndata: <li>\ndata: </li>\n\n",
  );
});

test("a quiet stream sends heartbeat comments", async () => {
  const { box } = serveStream({ heartbeatMs: 40 });
  const stream = await openSse(box, "/stream");
  cleanup.push(() => stream.close());
  await Bun.sleep(150);
  expect(stream.comments.filter((comment) => comment === "heartbeat").length).toBeGreaterThanOrEqual(2);
});

test("a quiet stream whose caller lost access ends within a second, long before the next heartbeat", async () => {
  let allowed = true;
  const { box } = serveStream({ allowed: () => allowed });
  const stream = await openSse(box, "/stream");
  cleanup.push(() => stream.close());
  await Bun.sleep(60);
  allowed = false;
  await Promise.race([stream.ended, Bun.sleep(1000).then(() => Promise.reject(new Error("still open")))]);
});

test("events read from the store arrive once each, also when announced many times", async () => {
  const { box, events } = serveStream();
  const stream = await openSse(box, "/stream");
  cleanup.push(() => stream.close());
  events.push(event(1, "one"), event(2, "two"));
  announceEvents("org_a");
  announceEvents("org_a");
  announceEvents("org_b");
  await stream.waitFor(2);
  events.push(event(3, "three"));
  announceEvents("org_a");
  await stream.waitFor(3);
  await Bun.sleep(50);
  expect(stream.messages.map((message) => message.data)).toEqual(["one", "two", "three"]);
});

test("a stopping lifecycle ends its open streams, and the shared watcher goes away", async () => {
  const { box, lifecycle } = serveStream();
  const stream = await openSse(box, "/stream");
  expect(openEventStreamCount()).toBeGreaterThanOrEqual(1);
  lifecycle.stopping = true;
  await Promise.race([stream.ended, Bun.sleep(1000).then(() => Promise.reject(new Error("still open")))]);
  await Bun.sleep(20);
  expect(openEventStreamCount()).toBe(0);
});

test("a client that goes away releases its stream", async () => {
  const { box } = serveStream();
  const stream = await openSse(box, "/stream");
  await Bun.sleep(30);
  expect(openEventStreamCount()).toBe(1);
  await stream.close();
  await Bun.sleep(100);
  expect(openEventStreamCount()).toBe(0);
});

let spawned: ServerProcess | null = null;
test("SIGTERM with an open event stream: the stream ends and the process exits 0 well before the deadline", async () => {
  // Set the box up in-process, then run it as its own process, as systemd would.
  const dataDir = makeTempDir("opsbox-events-stop-");
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const setup = await startTestApp({ dataDir });
  const acme = await setUpBox(setup);
  const key = createApiKey(
    setup.deps.db,
    { orgId: acme.orgId, userId: acme.adminId, name: "stream", scopes: [...permissions], expiresAt: null },
    new Set(permissions),
  ).key;
  await setup.stop("set up");

  spawned = await spawnServer(testEnv(dataDir, { OPSBOX_SHUTDOWN_TIMEOUT_MS: "8000" }));
  cleanup.push(() => {
    spawned?.proc.kill("SIGKILL");
  });
  const url = spawned.url;
  const stream = await openSse(
    { fetch: (path: string, init?: RequestInit) => fetch(new URL(path, url), init) } as never,
    "/api/v1/events",
    {
      Authorization: `Bearer ${key}`,
    },
  );
  expect(stream.response.status).toBe(200);
  await Bun.sleep(100);
  const started = Date.now();
  spawned.proc.kill("SIGTERM");
  expect(await spawned.proc.exited).toBe(0);
  await stream.ended;
  expect(Date.now() - started).toBeLessThan(3000);
  const said = spawned.lines.map((line) => (line as { msg?: string }).msg);
  expect(said).not.toContain("requests still running at the deadline; closing their connections");
  expect(said.at(-1)).toBe("stopped");
}, 20_000);
