import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiAs, type Call, errorOf } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import type { ModelJson } from "./schemas.ts";

const TEST_MODEL_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

let box: TestApp;
let admin: Call;
let manager: Call;
let otherAdmin: Call;
let anonymous: Call;

beforeAll(async () => {
  box = await startInProcessApp({ env: { OPSBOX_AI_THREADS: "1" } });
  const acme = await setUpBox(box);
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  manager = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "manager" }), acme.orgId));
  const globex = await createOrganization(box, "Globex");
  otherAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  anonymous = apiAs(box, null);
});
afterAll(() => box.close());

async function importTestModel(name?: string): Promise<ModelJson> {
  const response = await admin("POST", "/api/v1/ai/models", { path: testModelPath(), ...(name ? { name } : {}) });
  expect(response.status).toBe(201);
  return (await response.json()) as ModelJson;
}

describe("the model manager API", () => {
  testWith("model", "importing a GGUF file answers 201 with its facts and sha256", async () => {
    const model = await importTestModel();
    expect(model).toMatchObject({
      name: "llama",
      status: "ready",
      architecture: "llama",
      parameters: 292_800,
      quantization: "F32",
      contextLength: 2048,
      embeddingLength: 64,
      sizeBytes: 1_185_376,
      downloadedBytes: 1_185_376,
      sha256: TEST_MODEL_SHA256,
      roles: [],
    });
    expect(model.id).toMatch(/^mdl_/);
    expect(model.source).toBe(`import:${testModelPath()}`);
    expect(existsSync(join(box.dataDir, "models", model.fileName))).toBe(true);
    const listed = (await (await admin("GET", "/api/v1/ai/models")).json()) as { data: ModelJson[] };
    expect(listed.data.map((item) => item.id)).toContain(model.id);
    expect(await (await admin("GET", `/api/v1/ai/models/${model.id}`)).json()).toEqual(model);
  });

  test("importing what is not a GGUF file, or nothing, is a 422 on path", async () => {
    const notModel = join(box.dataDir, "notes.gguf");
    writeFileSync(notModel, "just text");
    for (const path of [notModel, join(box.dataDir, "missing.gguf"), box.dataDir]) {
      const response = await admin("POST", "/api/v1/ai/models", { path });
      expect(response.status).toBe(422);
      expect((await errorOf(response)).details?.[0]?.path).toBe("path");
    }
    const both = await admin("POST", "/api/v1/ai/models", { path: notModel, url: "https://example.com/a.gguf" });
    expect(both.status).toBe(422);
    const plainHttp = await admin("POST", "/api/v1/ai/models", { url: "http://example.com/a.gguf" });
    expect(plainHttp.status).toBe(422);
    expect((await errorOf(plainHttp)).details?.[0]?.path).toBe("url");
  });

  testWith("model", "choosing roles serves the model; a chosen model cannot be deleted until unchosen", async () => {
    const model = await importTestModel("Story model");
    const chosen = await admin("PUT", "/api/v1/ai/roles", { chat: model.id, embedding: model.id });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({
      chat: { chosenId: model.id, servedBy: { id: model.id, name: "Story model", from: "setting" } },
      embedding: { chosenId: model.id, servedBy: { id: model.id, name: "Story model", from: "setting" } },
    });
    expect(box.deps.ai.embeddingModel()).toEqual({ id: model.id, name: "Story model", dimensions: 64 });
    const [vector] = await box.deps.ai.embed(["hello"]);
    expect(vector?.length).toBe(64);

    const refused = await admin("DELETE", `/api/v1/ai/models/${model.id}`);
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).message).toContain("chat and embedding");

    const status = (await (await admin("GET", "/api/v1/ai/status")).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ gpu: "none", embedding: { id: model.id, state: "ready", threads: 1 } });

    expect((await admin("PUT", "/api/v1/ai/roles", { chat: null, embedding: null })).status).toBe(200);
    expect(box.deps.ai.chatModel()).toBeNull();
    expect((await admin("DELETE", `/api/v1/ai/models/${model.id}`)).status).toBe(204);
    expect(readdirSync(join(box.dataDir, "models"))).not.toContain(model.fileName);
    expect((await admin("GET", `/api/v1/ai/models/${model.id}`)).status).toBe(404);
  });

  test("choosing an unknown model is a 422 naming the role", async () => {
    const response = await admin("PUT", "/api/v1/ai/roles", { chat: "mdl_nothing" });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("chat");
  });

  test("serving settings round-trip within their bounds; out of bounds is a 422 per field", async () => {
    const before = await (await admin("GET", "/api/v1/ai/serving")).json();
    expect(before).toMatchObject({ threads: null, contextSize: 4096, concurrency: 1 });
    const changed = { ...before, threads: 2, temperature: 0.5, queueSize: 4 };
    const saved = await admin("PUT", "/api/v1/ai/serving", changed);
    expect(saved.status).toBe(200);
    expect(await (await admin("GET", "/api/v1/ai/serving")).json()).toEqual(changed);
    const wrong = await admin("PUT", "/api/v1/ai/serving", { ...before, threads: 0, topP: 3, contextSize: 10 });
    expect(wrong.status).toBe(422);
    const paths = (await errorOf(wrong)).details?.map((detail) => detail.path).sort();
    expect(paths).toEqual(["contextSize", "threads", "topP"]);
    expect((await admin("PUT", "/api/v1/ai/serving", before)).status).toBe(200);
  });

  test("only admins reach the model manager: a manager is 403, nobody signed in 401", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/ai/models"],
      ["POST", "/api/v1/ai/models"],
      ["GET", "/api/v1/ai/models/mdl_x"],
      ["DELETE", "/api/v1/ai/models/mdl_x"],
      ["GET", "/api/v1/ai/roles"],
      ["PUT", "/api/v1/ai/roles"],
      ["GET", "/api/v1/ai/serving"],
      ["PUT", "/api/v1/ai/serving"],
      ["GET", "/api/v1/ai/status"],
    ] as const) {
      const body = method === "POST" || method === "PUT" ? {} : undefined;
      expect([method, path, (await manager(method, path, body)).status]).toEqual([method, path, 403]);
      expect([method, path, (await anonymous(method, path, body)).status]).toEqual([method, path, 401]);
    }
  });

  testWith("model", "models are the box's: another organisation's admin sees the same list", async () => {
    const model = await importTestModel("Shared");
    const theirs = (await (await otherAdmin("GET", "/api/v1/ai/models")).json()) as { data: ModelJson[] };
    expect(theirs.data.map((item) => item.id)).toContain(model.id);
    expect((await admin("DELETE", "/api/v1/ai/models/mdl_unknown")).status).toBe(404);
  });

  test("the OpenAPI document lists every AI route", async () => {
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths["/api/v1/ai/models"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/ai/models/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
    expect(Object.keys(doc.paths["/api/v1/ai/roles"] ?? {}).sort()).toEqual(["get", "put"]);
    expect(Object.keys(doc.paths["/api/v1/ai/serving"] ?? {}).sort()).toEqual(["get", "put"]);
    expect(Object.keys(doc.paths["/api/v1/ai/status"] ?? {})).toEqual(["get"]);
  });
});
