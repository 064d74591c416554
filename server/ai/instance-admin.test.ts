import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiAs, type Call, errorOf, postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import { findChosenModelIds } from "./model-selection.ts";
import { listModels } from "./models-service.ts";
import { defaultServingSettings, findServingSettings } from "./serving-settings.ts";

/*
 * Models are the box's, not one organisation's: any admin (settings.manage) may read them, but
 * a change alters what every organisation's assistant runs on, so only the instance admin may
 * make it. Globex's admin is an organisation admin of a second organisation on the same box.
 */

let box: TestApp;
let instanceAdmin: Call;
let globexAdmin: Call;
let globexCookie: string;
let modelId = "mdl_00000000000000000000000000";

beforeAll(async () => {
  box = await startInProcessApp({ env: { OPSBOX_AI_THREADS: "1" } });
  const acme = await setUpBox(box);
  instanceAdmin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  const globex = await createOrganization(box, "Globex");
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
  globexAdmin = apiAs(box, globexCookie);
  const path = testModelPath();
  if (path) {
    const imported = await instanceAdmin("POST", "/api/v1/ai/models", { path, name: "Stories" });
    modelId = ((await imported.json()) as { id: string }).id;
  }
});
afterAll(() => box.close());

describe("another organisation's admin and the box's models", () => {
  test("may read the models, roles, serving settings and status", async () => {
    for (const path of ["/api/v1/ai/models", "/api/v1/ai/roles", "/api/v1/ai/serving", "/api/v1/ai/status"]) {
      expect([path, (await globexAdmin("GET", path)).status]).toEqual([path, 200]);
    }
  });

  test("gets 403 on every change through the API, and nothing changes", async () => {
    const serving = { ...defaultServingSettings, maxTokens: 7 };
    for (const [method, path, body] of [
      ["POST", "/api/v1/ai/models", { path: testModelPath() ?? "/nowhere.gguf" }],
      ["POST", "/api/v1/ai/models", { url: "hf:someone/repo/model.gguf" }],
      ["DELETE", `/api/v1/ai/models/${modelId}`, undefined],
      ["PUT", "/api/v1/ai/roles", { chat: modelId }],
      ["PUT", "/api/v1/ai/serving", serving],
    ] as const) {
      const response = await globexAdmin(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 403]);
      expect((await errorOf(response)).message).toBe("Only the box's instance admin may do this.");
    }
    expect(findServingSettings(box.deps.db).maxTokens).toBe(defaultServingSettings.maxTokens);
    expect(findChosenModelIds(box.deps.db)).toEqual({ chat: null, embedding: null });
  });

  test("gets 403 on every change through the console", async () => {
    for (const path of [
      "/settings/ai/models/pull",
      "/settings/ai/models/import",
      `/settings/ai/models/${modelId}/delete`,
      "/settings/ai/roles",
      "/settings/ai/serving",
    ]) {
      expect([path, (await postForm(box, globexCookie, path, {})).status]).toEqual([path, 403]);
    }
  });

  testWith("model", "sees the page read-only: a note, no add forms, no delete, disabled choices", async () => {
    expect(listModels(box.deps.db).map((model) => model.id)).toEqual([modelId]);
    const html = await (await box.fetch("/settings/ai", { headers: { Cookie: globexCookie } })).text();
    expect(html).toContain('id="ai-read-only"');
    expect(html).toContain("instance admin can add, delete or choose models");
    expect(html).toContain("Stories");
    for (const part of ['id="ai-pull-form"', 'id="ai-import-form"', `/settings/ai/models/${modelId}/delete`]) {
      expect(html).not.toContain(part);
    }
    expect(html).not.toContain("Save choice");
    expect(html).not.toContain("Save serving settings");
    expect(html.match(/<fieldset[^>]*disabled/g)?.length).toBe(2);
  });

  testWith("model", "the instance admin still changes them, and sees the forms", async () => {
    expect((await instanceAdmin("PUT", "/api/v1/ai/roles", { chat: modelId })).status).toBe(200);
    expect((await instanceAdmin("PUT", "/api/v1/ai/roles", { chat: null })).status).toBe(200);
    const html = await (await instanceAdmin("GET", "/settings/ai")).text();
    expect(html).not.toContain('id="ai-read-only"');
    for (const part of ['id="ai-pull-form"', `/settings/ai/models/${modelId}/delete`, "Save choice"]) {
      expect(html).toContain(part);
    }
    expect(html).not.toMatch(/<fieldset[^>]*disabled/);
  });
});
