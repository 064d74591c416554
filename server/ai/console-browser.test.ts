import { afterAll, beforeAll, expect } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { saveAllowedPrivateHosts } from "../outbound/outbound-hosts.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { browserSessionCookie, createOrganization, setUpBox, type TestBox } from "../testing/identity.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";

let box: TestApp;
let acme: TestBox;
let mirror: { url: string; close: () => void } | null = null;

/** A slow loopback mirror, so that the download's progress is on screen for a while. */
async function startSlowMirror(bytes: Uint8Array) {
  const server = createServer(async (_request, response) => {
    response.writeHead(200, { "Content-Length": bytes.length });
    for (let offset = 0; offset < bytes.length && !response.destroyed; offset += 50_000) {
      await Bun.sleep(100);
      response.write(bytes.slice(offset, offset + 50_000));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

beforeAll(async () => {
  box = await startTestApp({ env: { OPSBOX_AI_THREADS: "1" } });
  acme = await setUpBox(box);
  saveAllowedPrivateHosts(box.deps.db, ["127.0.0.1"]);
  const path = testModelPath();
  if (path) mirror = await startSlowMirror(new Uint8Array(readFileSync(path)));
});
afterAll(async () => {
  mirror?.close();
  await box.close();
});

function adminCookie(userId = acme.adminId, orgId = acme.orgId) {
  return browserSessionCookie(box, userId, orgId);
}

testWith(
  "chromium",
  "an admin imports and pulls models, chooses them, sees them load and keeps a mistyped setting",
  async () => {
    if (!testModelPath() || !mirror) return;
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/ai`);
      expect(await page.textContent("h1")).toBe("AI models");
      await saveScreenshot(page, "settings-ai-empty");

      await page.fill("#ai-import-form input[name=path]", testModelPath() ?? "");
      await page.fill("#ai-import-form input[name=name]", "Stories (imported)");
      await page.click("#ai-import-form button[type=submit]");
      await page.waitForSelector("text=Model imported.");
      expect(await page.textContent("table.ai-models")).toContain("Stories (imported)");

      await page.fill("#ai-pull-form input[name=url]", `${mirror.url}/stories260K.gguf`);
      await page.click("#ai-pull-form button[type=submit]");
      await page.waitForSelector("text=Download started");
      await page.waitForSelector("#ai-model-list progress");
      await saveScreenshot(page, "settings-ai-pulling");
      // The list polls itself until the download is done.
      await page.waitForSelector("#ai-model-list:not(:has(progress))", { timeout: 20_000 });
      expect(await page.textContent("table.ai-models")).toContain("stories260K");

      const importedId = await page.$eval("#ai-roles-form select[name=chat] option:nth-child(2)", (option) =>
        option.getAttribute("value"),
      );
      await page.selectOption("#ai-roles-form select[name=chat]", importedId ?? "");
      await page.selectOption("#ai-roles-form select[name=embedding]", importedId ?? "");
      await page.click("#ai-roles-form button[type=submit]");
      await page.waitForSelector("text=Choice saved.");
      await page.waitForFunction(
        () => (document.querySelector("#ai-status")?.textContent?.match(/Loaded/g) ?? []).length === 2,
        undefined,
        { timeout: 20_000 },
      );

      await page.fill("#ai-serving-form input[name=temperature]", "5");
      await page.click("#ai-serving-form button[type=submit]");
      await page.waitForSelector("#ai-serving-form input[name=temperature][aria-invalid=true]");
      expect(await page.inputValue("#ai-serving-form input[name=temperature]")).toBe("5");
      await saveScreenshot(page, "settings-ai-ready");
      // The browser logs the 422 of the mistyped setting; nothing else may appear.
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);

testWith(
  "chromium",
  "another organisation's admin sees the box's models read-only, with a note saying why",
  async () => {
    if (!testModelPath()) return;
    const globex = await createOrganization(box, "Globex");
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([adminCookie(globex.adminId, globex.orgId)]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/ai`);
      expect(await page.textContent("#ai-read-only")).toContain("Only the box's instance admin");
      expect(await page.isDisabled("#ai-roles-form select[name=chat]")).toBe(true);
      expect(await page.isDisabled("#ai-serving-form input[name=maxTokens]")).toBe(true);
      expect(await page.$("#ai-pull-form")).toBeNull();
      expect(await page.$("#ai-model-list button")).toBeNull();
      await saveScreenshot(page, "settings-ai-read-only");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  30_000,
);
