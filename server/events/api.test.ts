import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { type Permission, permissions } from "../auth/roles/permissions.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { eventIdsOf } from "./ids.ts";
import { type EventInput, publishEvent } from "./publish.ts";
import { openSse, type SseMessage, settle } from "./sse-test-kit.ts";

let box: TestApp;
let acme: { orgId: string; adminId: string };
let globex: { orgId: string; adminId: string };
let adminKey = "";
let viewerKey = "";
let viewerCookie = "";
let globexKey = "";
let counter = 0;

function keyFor(orgId: string, userId: string, scopes: Permission[]): string {
  return createApiKey(
    box.deps.db,
    { orgId, userId, name: `key ${++counter}`, scopes, expiresAt: null },
    new Set(permissions),
  ).key;
}

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  const viewerId = await createUser(box, { orgId: acme.orgId, role: "viewer", email: "vera@example.com" });
  adminKey = keyFor(acme.orgId, acme.adminId, [...permissions]);
  viewerKey = keyFor(acme.orgId, viewerId, ["workspace.read"]);
  viewerCookie = sessionCookie(box, viewerId, acme.orgId);
  globexKey = keyFor(globex.orgId, globex.adminId, ["workspace.read"]);
});
afterAll(() => box.close());

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
/** The public id of an event of `orgId`, as its readers see it. */
const idIn = (orgId: string, seq: number) => eventIdsOf(box.deps.keyring, orgId).idOf(seq);

/** Publishes as if a service did it, in a transaction like every real change. */
function publish(orgId: string, input: Partial<EventInput> & { summary: string }) {
  return box.deps.db.transaction((tx) =>
    publishEvent(
      tx,
      { orgId, userId: null },
      { type: "task.updated", subjectType: "task", subjectId: `tsk_${++counter}`, ...input },
    ),
  );
}

const summaries = (messages: SseMessage[]) => messages.map((message) => JSON.parse(message.data).summary as string);

describe("GET /api/v1/events as a stream", () => {
  test("starts live: an event created by a POST arrives, older events do not", async () => {
    publish(acme.orgId, { summary: "before the stream" });
    const stream = await openSse(box, "/api/v1/events", bearer(adminKey));
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("Content-Type")).toContain("text/event-stream");
      const created = await box.fetch("/api/v1/projects", {
        method: "POST",
        headers: { ...bearer(adminKey), "Content-Type": "application/json" },
        body: JSON.stringify({ name: "Boiler room", code: "BOIL" }),
      });
      expect(created.status).toBe(201);
      const project = (await created.json()) as { id: string };
      const [message] = await stream.waitFor(1);
      expect(message?.event).toBe("project.created");
      expect(message?.id).toMatch(/^evt_[\w-]{22}$/);
      const body = JSON.parse(message?.data ?? "{}");
      expect(body).toMatchObject({
        id: message?.id,
        type: "project.created",
        subject: { type: "project", id: project.id },
      });
      expect(body.actorId).toBe(acme.adminId);
      expect(Date.parse(body.occurredAt)).toBeGreaterThan(0);
      expect(summaries(stream.messages)).not.toContain("before the stream");
    } finally {
      await stream.close();
    }
  });

  test("sends a retry hint and a comment at once, so clients see the headers", async () => {
    const stream = await openSse(box, "/api/v1/events", bearer(adminKey));
    await settle(50);
    expect(stream.comments).toContain("connected");
    await stream.close();
  });

  test("resuming with Last-Event-ID replays exactly the missed events, then goes live", async () => {
    const first = await openSse(box, "/api/v1/events", bearer(adminKey));
    publish(acme.orgId, { summary: "seen" });
    const [seen] = await first.waitFor(1);
    await first.close();
    publish(acme.orgId, { summary: "missed 1" });
    publish(acme.orgId, { summary: "missed 2" });

    const resumed = await openSse(box, "/api/v1/events", { ...bearer(adminKey), "Last-Event-ID": seen?.id ?? "" });
    try {
      await resumed.waitFor(2);
      publish(acme.orgId, { summary: "live" });
      await resumed.waitFor(3);
      await settle();
      expect(summaries(resumed.messages)).toEqual(["missed 1", "missed 2", "live"]);
    } finally {
      await resumed.close();
    }
  });

  test("?after=<event id> resumes like Last-Event-ID", async () => {
    const mark = publish(acme.orgId, { summary: "mark" });
    publish(acme.orgId, { summary: "after the mark" });
    const stream = await openSse(box, `/api/v1/events?after=${idIn(acme.orgId, mark.seq)}`, bearer(adminKey));
    await stream.waitFor(1);
    await settle();
    expect(summaries(stream.messages)).toEqual(["after the mark"]);
    await stream.close();
  });

  test("another organisation's events never arrive, live or replayed", async () => {
    const mark = publish(globex.orgId, { summary: "globex mark" });
    publish(acme.orgId, { summary: "acme secret" });
    const stream = await openSse(box, `/api/v1/events?after=${idIn(globex.orgId, mark.seq)}`, bearer(globexKey));
    try {
      publish(acme.orgId, { summary: "acme live secret" });
      publish(globex.orgId, { summary: "globex live" });
      await stream.waitFor(1);
      await settle();
      expect(summaries(stream.messages)).toEqual(["globex live"]);
    } finally {
      await stream.close();
    }
  });

  test("an invoices.manage event is never sent to a Viewer, but is to an admin", async () => {
    const viewer = await openSse(box, "/api/v1/events", bearer(viewerKey));
    const viewerSession = await openSse(box, "/api/v1/events", { Cookie: viewerCookie });
    const admin = await openSse(box, "/api/v1/events", bearer(adminKey));
    try {
      publish(acme.orgId, {
        type: "invoice.status_changed",
        subjectType: "invoice",
        summary: "invoice paid",
      });
      publish(acme.orgId, { summary: "task moved" });
      await admin.waitFor(2);
      await viewer.waitFor(1);
      await viewerSession.waitFor(1);
      await settle();
      expect(summaries(admin.messages)).toEqual(["invoice paid", "task moved"]);
      expect(summaries(viewer.messages)).toEqual(["task moved"]);
      expect(summaries(viewerSession.messages)).toEqual(["task moved"]);
    } finally {
      await Promise.all([viewer.close(), viewerSession.close(), admin.close()]);
    }
  });

  test("?types= sends only those types", async () => {
    const stream = await openSse(box, "/api/v1/events?types=task.created,approval.decided", bearer(adminKey));
    try {
      publish(acme.orgId, { type: "task.updated", summary: "updated" });
      publish(acme.orgId, { type: "task.created", summary: "created" });
      publish(acme.orgId, { type: "approval.decided", subjectType: "approval", summary: "decided", approves: "other" });
      await stream.waitFor(2);
      await settle();
      expect(stream.messages.map((message) => message.event)).toEqual(["task.created", "approval.decided"]);
    } finally {
      await stream.close();
    }
  });

  test("a burst of events arrives complete and in order", async () => {
    const stream = await openSse(box, "/api/v1/events", bearer(adminKey));
    try {
      box.deps.db.transaction((tx) => {
        for (let index = 0; index < 250; index++) {
          publishEvent(
            tx,
            { orgId: acme.orgId, userId: null },
            {
              type: "task.updated",
              subjectType: "task",
              subjectId: "tsk_burst",
              summary: `burst ${index}`,
            },
          );
        }
      });
      await stream.waitFor(250, 5000);
      expect(summaries(stream.messages)).toEqual(Array.from({ length: 250 }, (_, index) => `burst ${index}`));
    } finally {
      await stream.close();
    }
  });
});

describe("GET /api/v1/events refusals", () => {
  test("401 without credentials, 403 for a key without workspace.read", async () => {
    expect((await box.fetch("/api/v1/events")).status).toBe(401);
    const narrow = keyFor(acme.orgId, acme.adminId, ["api_keys.manage"]);
    const response = await box.fetch("/api/v1/events", { headers: bearer(narrow) });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  });

  test("422 for a malformed Last-Event-ID, after or types", async () => {
    for (const [path, headers] of [
      ["/api/v1/events", { "Last-Event-ID": "yesterday" }],
      ["/api/v1/events?after=123abc", {}],
      ["/api/v1/events?types=Task%20Created", {}],
    ] as const) {
      const response = await box.fetch(path, { headers: { ...bearer(adminKey), ...headers } });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    }
  });
});

describe("event ids tell nothing of other organisations", () => {
  test("org A's ids stay opaque while org B writes in between, and org B's ids mean nothing to org A", async () => {
    const acmeStream = await openSse(box, "/api/v1/events", bearer(adminKey));
    const globexStream = await openSse(box, "/api/v1/events", bearer(globexKey));
    try {
      const first = publish(acme.orgId, { summary: "acme before" });
      for (let index = 0; index < 9; index++) publish(globex.orgId, { summary: `globex ${index}` });
      const second = publish(acme.orgId, { summary: "acme after" });
      const [one, two] = await acmeStream.waitFor(2);
      await globexStream.waitFor(9);
      for (const id of [one?.id, two?.id]) {
        expect(id).toMatch(/^evt_[\w-]{22}$/);
        // Neither the box-wide numbers nor their gap (9 writes of Globex) are the id in any plain
        // encoding. (Not a digit check: a 22-character random-looking id may hold "10" by chance.)
        const suffix = id?.slice("evt_".length);
        for (const seq of [first.seq, second.seq, second.seq - first.seq]) {
          for (const plain of [
            String(seq),
            seq.toString(16),
            seq.toString(36),
            Buffer.from(String(seq)).toString("base64url"),
          ]) {
            expect(suffix).not.toBe(plain);
          }
        }
      }
      // The same number is another id in another organisation.
      expect(idIn(globex.orgId, first.seq)).not.toBe(one?.id);
      // Globex's ids, the old numeric ones and forged ones are refused, so none can be probed.
      const globexId = globexStream.messages[0]?.id ?? "";
      for (const foreign of [globexId, `evt_${first.seq}`, "evt_AAAAAAAAAAAAAAAAAAAAAA"]) {
        const byHeader = await box.fetch("/api/v1/events", {
          headers: { ...bearer(adminKey), Accept: "text/event-stream", "Last-Event-ID": foreign },
        });
        expect(byHeader.status).toBe(422);
        const byQuery = await box.fetch(`/api/v1/events?format=json&after=${foreign}`, { headers: bearer(adminKey) });
        expect(byQuery.status).toBe(422);
      }
    } finally {
      await Promise.all([acmeStream.close(), globexStream.close()]);
    }
  });

  test("resuming after an opaque Last-Event-ID gives exactly the missed events, whatever org B wrote", async () => {
    const first = await openSse(box, "/api/v1/events", bearer(adminKey));
    publish(acme.orgId, { summary: "opaque seen" });
    const [seen] = await first.waitFor(1);
    await first.close();
    publish(globex.orgId, { summary: "globex meanwhile" });
    publish(acme.orgId, { summary: "opaque missed 1" });
    publish(globex.orgId, { summary: "globex meanwhile again" });
    publish(acme.orgId, { summary: "opaque missed 2" });
    const resumed = await openSse(box, "/api/v1/events", { ...bearer(adminKey), "Last-Event-ID": seen?.id ?? "" });
    try {
      await resumed.waitFor(2);
      await settle();
      expect(summaries(resumed.messages)).toEqual(["opaque missed 1", "opaque missed 2"]);
    } finally {
      await resumed.close();
    }
  });

  test("a JSON page's cursor holds no box-wide number either", async () => {
    const last = publish(acme.orgId, { summary: "cursor 2" });
    publish(acme.orgId, { summary: "cursor 3" });
    const response = await box.fetch("/api/v1/events?format=json&limit=1", { headers: bearer(adminKey) });
    const page = (await response.json()) as { nextCursor: string };
    expect(Buffer.from(page.nextCursor, "base64url").toString()).not.toContain(String(last.seq + 1));
    const next = await box.fetch(`/api/v1/events?format=json&limit=1&cursor=${page.nextCursor}`, {
      headers: bearer(adminKey),
    });
    const nextPage = (await next.json()) as { data: { summary: string }[] };
    expect(nextPage.data.map((event) => event.summary)).toEqual(["cursor 2"]);
  });
});

describe("GET /api/v1/events as JSON pages", () => {
  test("Accept: application/json answers past events newest first, page by page", async () => {
    const org = await createOrganization(box, "Initech");
    const key = keyFor(org.orgId, org.adminId, [...permissions]);
    for (let index = 1; index <= 5; index++) publish(org.orgId, { summary: `event ${index}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const response = await box.fetch(`/api/v1/events?limit=2${query}`, {
        headers: { ...bearer(key), Accept: "application/json" },
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { summary: string }[]; nextCursor: string | null };
      seen.push(...page.data.map((event) => event.summary));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["event 5", "event 4", "event 3", "event 2", "event 1"]);
  });

  test("format=json with after= answers only what is newer; permissions and organisation apply", async () => {
    const mark = publish(acme.orgId, { summary: "json mark" });
    publish(acme.orgId, { summary: "json invoice", type: "invoice.created" });
    publish(acme.orgId, { summary: "json task" });
    publish(globex.orgId, { summary: "json globex" });
    const read = async (key: string, orgId = acme.orgId) => {
      const after = idIn(orgId, mark.seq);
      const response = await box.fetch(`/api/v1/events?format=json&after=${after}`, { headers: bearer(key) });
      return ((await response.json()) as { data: { summary: string }[] }).data.map((event) => event.summary);
    };
    expect(await read(adminKey)).toEqual(["json task", "json invoice"]);
    expect(await read(viewerKey)).toEqual(["json task"]);
    expect(await read(globexKey, globex.orgId)).toEqual(["json globex"]);
  });

  test("a forged cursor is a 422 on cursor", async () => {
    const response = await box.fetch("/api/v1/events?format=json&cursor=bm9wZQ", { headers: bearer(adminKey) });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details[0]?.path).toBe("cursor");
  });
});
