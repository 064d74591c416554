import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { consoleHeaders, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import { findChosenModelIds } from "./model-selection.ts";
import { listModels } from "./models-service.ts";
import { findServingSettings } from "./serving-settings.ts";

let box: TestApp;
let adminCookie: string;
let managerCookie: string;

beforeAll(async () => {
  box = await startInProcessApp({ env: { OPSBOX_AI_THREADS: "1" } });
  const acme = await setUpBox(box);
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  managerCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "manager" }), acme.orgId);
});
afterAll(() => box.close());

const page = (cookie: string, path = "/settings/ai") => box.fetch(path, { headers: { Cookie: cookie } });

describe("Settings → AI models", () => {
  test("the page shows status, models, the add forms and serving settings to an admin only", async () => {
    const response = await page(adminCookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const part of ["AI models", 'id="ai-status"', "No models yet", 'id="ai-pull-form"', 'id="ai-import-form"']) {
      expect(html).toContain(part);
    }
    expect(html).toContain('id="ai-serving-form"');
    expect(html).toContain('href="/settings/ai" aria-current="page"');
    expect((await page(managerCookie)).status).toBe(403);
    expect((await postForm(box, managerCookie, "/settings/ai/serving", {})).status).toBe(403);
  });

  test("a serving setting out of bounds re-renders the form with 422, the typed values and the field's error", async () => {
    const response = await postForm(box, adminCookie, "/settings/ai/serving", {
      threads: "",
      contextSize: "99",
      maxTokens: "300",
      temperature: "0.7",
      topP: "0.9",
      concurrency: "1",
      queueSize: "4",
      timeoutSeconds: "60",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('name="contextSize" value="99"');
    expect(html).toContain("Use at least 256 tokens.");
    expect(html).toContain('name="maxTokens" value="300"');
    expect(findServingSettings(box.deps.db).maxTokens).toBe(512);

    const saved = await postForm(box, adminCookie, "/settings/ai/serving", {
      threads: "2",
      contextSize: "2048",
      maxTokens: "300",
      temperature: "0.7",
      topP: "0.9",
      concurrency: "1",
      queueSize: "4",
      timeoutSeconds: "60",
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Serving settings saved.");
    expect(findServingSettings(box.deps.db)).toMatchObject({ threads: 2, contextSize: 2048, maxTokens: 300 });
  });

  test("an import of a missing file keeps the path and names the problem", async () => {
    const response = await postForm(box, adminCookie, "/settings/ai/models/import", {
      path: "/nowhere/x.gguf",
      name: "",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="/nowhere/x.gguf"');
    expect(html).toContain("No file at this path on the box.");
    const pull = await postForm(box, adminCookie, "/settings/ai/models/pull", {
      url: "ftp://x/y.gguf",
      sha256: "",
      name: "",
    });
    expect(pull.status).toBe(422);
    expect(await pull.text()).toContain('value="ftp://x/y.gguf"');
  });

  testWith("model", "import, choose, refuse deleting what is in use, then delete", async () => {
    const imported = await postForm(box, adminCookie, "/settings/ai/models/import", {
      path: testModelPath() ?? "",
      name: "Stories",
    });
    expect(imported.headers.get("HX-Redirect")).toBe("/settings/ai?notice=imported");
    const [model] = listModels(box.deps.db);
    if (!model) throw new Error("not imported");
    const chosen = await postForm(box, adminCookie, "/settings/ai/roles", { chat: model.id, embedding: "" });
    expect(chosen.headers.get("HX-Redirect")).toBe("/settings/ai?notice=roles");
    expect(findChosenModelIds(box.deps.db)).toEqual({ chat: model.id, embedding: null });
    const html = await (await page(adminCookie, "/settings/ai?notice=roles")).text();
    expect(html).toContain("Choice saved.");
    expect(html).toContain("Stories");

    const refused = await postForm(box, adminCookie, `/settings/ai/models/${model.id}/delete`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("serves chat");
    await postForm(box, adminCookie, "/settings/ai/roles", { chat: "", embedding: "" });
    const deleted = await postForm(box, adminCookie, `/settings/ai/models/${model.id}/delete`, {});
    expect(deleted.headers.get("HX-Redirect")).toBe("/settings/ai?notice=deleted");
    expect(listModels(box.deps.db)).toEqual([]);
  });

  test("the polled fragments answer alone", async () => {
    const status = await box.fetch("/settings/ai/status", { headers: consoleHeaders(box, adminCookie) });
    expect(status.status).toBe(200);
    expect(await status.text()).toStartWith('<section id="ai-status"');
    const list = await box.fetch("/settings/ai/models", { headers: consoleHeaders(box, adminCookie) });
    expect(await list.text()).toStartWith('<div id="ai-model-list"');
  });
});
