import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { NOT_IN_DOCUMENTS } from "./answer.ts";
import type { ConversationJson, MessageJson } from "./schemas.ts";
import { askAsStream, seedDocument } from "./test-kit.ts";

/* The assistant's API without a chat model: conversations, isolation, refusals, and the answers that need no model. */

let box: TestApp;
let orgId: string;
let admin: Call;
let adminCookie: string;
let colleague: Call;
let outsider: Call;
let globexAdmin: Call;
let equipmentId: string;
let globexEquipmentId: string;

beforeAll(async () => {
  box = await startTestApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  const globex = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, orgId);
  admin = apiAs(box, adminCookie);
  colleague = apiAs(box, sessionCookie(box, await createUser(box, { orgId, role: "viewer" }), orgId));
  globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  const role = (await (
    await admin("POST", "/api/v1/roles", { name: "Reader", permissions: ["workspace.read"] })
  ).json()) as {
    id: string;
  };
  outsider = apiAs(box, sessionCookie(box, await createUser(box, { orgId, role: role.id }), orgId));
  equipmentId = ((await (await admin("POST", "/api/v1/equipment", { name: "Boiler" })).json()) as { id: string }).id;
  globexEquipmentId = (
    (await (await globexAdmin("POST", "/api/v1/equipment", { name: "Their boiler" })).json()) as { id: string }
  ).id;
  seedDocument(box, orgId, {
    title: "Boiler manual",
    equipmentId,
    chunks: [{ text: "Keep the boiler pressure between 1.0 and 1.5 bar when the system is cold.", page: 3 }],
  });
});
afterAll(() => box.close());

async function start(call: Call, body: Record<string, unknown> = {}): Promise<ConversationJson> {
  const response = await call("POST", "/api/v1/conversations", body);
  expect(response.status).toBe(201);
  return (await response.json()) as ConversationJson;
}

describe("conversations", () => {
  test("POST starts an untitled conversation, scoped to equipment when asked; GET lists only mine, newest first", async () => {
    const plain = await start(admin);
    expect(plain.id).toMatch(/^cnv_/);
    expect(plain).toMatchObject({ title: "New conversation", equipmentId: null, projectId: null });
    const scoped = await start(admin, { title: "Boiler questions", equipmentId });
    expect(scoped.equipmentId).toBe(equipmentId);
    const theirs = await start(colleague);

    const first = (await (await admin("GET", "/api/v1/conversations?limit=1")).json()) as {
      data: ConversationJson[];
      nextCursor: string;
    };
    expect(first.data.map((item) => item.id)).toEqual([scoped.id]);
    const rest = (await (await admin("GET", `/api/v1/conversations?cursor=${first.nextCursor}`)).json()) as {
      data: ConversationJson[];
      nextCursor: string | null;
    };
    expect(rest.data.map((item) => item.id)).toEqual([plain.id]);
    expect(rest.nextCursor).toBeNull();
    const colleagues = (await (await colleague("GET", "/api/v1/conversations")).json()) as { data: ConversationJson[] };
    expect(colleagues.data.map((item) => item.id)).toEqual([theirs.id]);
  });

  test("another organisation's equipment or project cannot scope a conversation (422)", async () => {
    const equipment = await admin("POST", "/api/v1/conversations", { equipmentId: globexEquipmentId });
    expect(equipment.status).toBe(422);
    expect((await errorOf(equipment)).details?.[0]?.path).toBe("equipmentId");
    const project = await admin("POST", "/api/v1/conversations", { projectId: "prj_00000000000000000000000000" });
    expect((await errorOf(project)).details?.[0]?.path).toBe("projectId");
    const extra = await admin("POST", "/api/v1/conversations", { orgId: "org_x" });
    expect(extra.status).toBe(422);
  });

  test("DELETE removes the conversation and its messages", async () => {
    const conversation = await start(admin);
    await admin("POST", `/api/v1/conversations/${conversation.id}/messages`, { content: "zebra migration routes" });
    expect((await admin("DELETE", `/api/v1/conversations/${conversation.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/v1/conversations/${conversation.id}`)).status).toBe(404);
  });

  test("someone else's conversation, in this organisation or another, is a 404 everywhere", async () => {
    const mine = await start(admin);
    for (const caller of [colleague, globexAdmin]) {
      for (const response of [
        await caller("GET", `/api/v1/conversations/${mine.id}`),
        await caller("DELETE", `/api/v1/conversations/${mine.id}`),
        await caller("POST", `/api/v1/conversations/${mine.id}/messages`, { content: "boiler pressure" }),
        await caller("POST", `/api/v1/conversations/${mine.id}/stop`),
      ]) {
        expect(response.status).toBe(404);
      }
    }
    expect((await admin("GET", `/api/v1/conversations/${mine.id}`)).status).toBe(200);
  });

  test("a role without assistant.ask gets 403 on every assistant route", async () => {
    const mine = await start(admin);
    for (const response of [
      await outsider("POST", "/api/v1/conversations", {}),
      await outsider("GET", "/api/v1/conversations"),
      await outsider("GET", `/api/v1/conversations/${mine.id}`),
      await outsider("DELETE", `/api/v1/conversations/${mine.id}`),
      await outsider("POST", `/api/v1/conversations/${mine.id}/messages`, { content: "boiler pressure" }),
      await outsider("POST", `/api/v1/conversations/${mine.id}/stop`),
    ]) {
      expect(response.status).toBe(403);
    }
  });

  test("an empty or oversized question is a 422 on content", async () => {
    const mine = await start(admin);
    for (const content of ["  ", "x".repeat(4001)]) {
      const response = await admin("POST", `/api/v1/conversations/${mine.id}/messages`, { content });
      expect(response.status).toBe(422);
      expect((await errorOf(response)).details?.[0]?.path).toBe("content");
    }
  });
});

describe("answers that need no model", () => {
  test("a question no passage matches is answered plainly 'not in the documents', stored, and names the conversation", async () => {
    const conversation = await start(admin);
    const response = await admin("POST", `/api/v1/conversations/${conversation.id}/messages`, {
      content: "Which zebra migration routes cross the savannah?",
    });
    expect(response.status).toBe(201);
    const message = (await response.json()) as MessageJson;
    expect(message).toMatchObject({ role: "assistant", content: NOT_IN_DOCUMENTS, citations: [], status: "complete" });
    const stored = (await (
      await admin("GET", `/api/v1/conversations/${conversation.id}`)
    ).json()) as ConversationJson & {
      messages: MessageJson[];
    };
    expect(stored.title).toBe("Which zebra migration routes cross the savannah?");
    expect(stored.messages.map((item) => [item.role, item.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
  });

  test("another organisation's matching document does not count: the answer is still 'not in the documents'", async () => {
    const conversation = await start(globexAdmin);
    const response = await globexAdmin("POST", `/api/v1/conversations/${conversation.id}/messages`, {
      content: "What boiler pressure should the system have?",
    });
    expect(((await response.json()) as MessageJson).content).toBe(NOT_IN_DOCUMENTS);
  });

  test("as server-sent events: citations, then the text as a token, then done with the stored message", async () => {
    const conversation = await start(admin);
    const stream = await askAsStream(
      box,
      adminCookie,
      `/api/v1/conversations/${conversation.id}/messages`,
      "zebra stripes?",
    );
    await stream.ended;
    expect(stream.response.headers.get("Content-Type")).toContain("text/event-stream");
    expect(stream.messages.map((message) => message.event)).toEqual(["citations", "token", "done"]);
    expect(JSON.parse(stream.messages[1]?.data ?? "{}")).toEqual({ text: NOT_IN_DOCUMENTS });
    const done = JSON.parse(stream.messages[2]?.data ?? "{}") as { message: MessageJson };
    expect(done.message).toMatchObject({ content: NOT_IN_DOCUMENTS, status: "complete" });
  });

  test("without a chat model, a question the documents can answer is a 503 that names the model to install, and nothing is stored", async () => {
    const conversation = await start(admin, { equipmentId });
    const response = await admin("POST", `/api/v1/conversations/${conversation.id}/messages`, {
      content: "What boiler pressure should the system have?",
    });
    expect(response.status).toBe(503);
    const error = await errorOf(response);
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain("Settings → AI");
    expect(error.message).toContain("Phi-3");
    const stored = (await (await admin("GET", `/api/v1/conversations/${conversation.id}`)).json()) as {
      messages: MessageJson[];
    };
    expect(stored.messages).toEqual([]);
  });

  test("stop with nothing running answers stopped: false", async () => {
    const conversation = await start(admin);
    const response = await admin("POST", `/api/v1/conversations/${conversation.id}/stop`);
    expect(await response.json()).toEqual({ stopped: false });
  });
});

describe("OpenAPI", () => {
  test("lists every assistant route under the Assistant tag with its permission", async () => {
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[]; "x-required-permission"?: string }>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/v1/conversations"))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );
    expect(operations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      "delete /api/v1/conversations/{id}",
      "get /api/v1/conversations",
      "get /api/v1/conversations/{id}",
      "post /api/v1/conversations",
      "post /api/v1/conversations/{id}/messages",
      "post /api/v1/conversations/{id}/stop",
    ]);
    for (const { operation } of operations) {
      expect(operation.tags).toEqual(["Assistant"]);
      expect(operation["x-required-permission"]).toBe("assistant.ask");
    }
  });
});
