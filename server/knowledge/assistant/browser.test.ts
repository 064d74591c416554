import { afterAll, beforeAll, expect, test } from "bun:test";
import { defaultServingSettings, saveServingSettings } from "../../ai/serving-settings.ts";
import { apiAs } from "../../auth/people/people-test-kit.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { missingTool, testModelPath, testWith } from "../../testing/tools.ts";
import { INSTRUCTING_TEXT, seedDocument } from "./test-kit.ts";

let box: TestApp;
let acme: TestBox;
let equipmentId: string;
let manualId: string;

beforeAll(async () => {
  const model = testModelPath();
  if (!model || missingTool("chromium")) return;
  box = await startTestApp({ env: { OPSBOX_CHAT_MODEL: model, OPSBOX_AI_THREADS: "1" } });
  saveServingSettings(box.deps.db, { ...defaultServingSettings, temperature: 0, maxTokens: 96 });
  acme = await setUpBox(box);
  const admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  equipmentId = (
    (await (await admin("POST", "/api/v1/equipment", { name: "Boiler 1", type: "Boiler" })).json()) as { id: string }
  ).id;
  manualId = seedDocument(box, acme.orgId, {
    title: "Vaillant ecoTEC manual",
    equipmentId,
    chunks: [
      {
        text: "Keep the boiler pressure between 1.0 and 1.5 bar when the system is cold.",
        page: 12,
        heading: "Pressure",
      },
      { text: INSTRUCTING_TEXT, page: 13 },
    ],
  }).documentId;
});
afterAll(() => box?.close());

function cookie() {
  return browserSessionCookie(box, acme.adminId, acme.orgId);
}

// Needs the browser and the model; testWith checks the model, this the browser.
const withBrowser = missingTool("chromium") ? test.skip : testWith;

withBrowser(
  "model",
  "asking about a piece of equipment streams a cited answer into the Ask page, with no live markup from the documents",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([cookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/equipment/${equipmentId}`);
      await page.click("text=Ask about this equipment");
      await page.waitForURL(/\/ask\?equipmentId=/);
      expect(await page.textContent(".ask-scope")).toContain("Boiler 1");

      await page.fill("textarea[name=content]", "What boiler pressure should the system have?");
      await page.click("#ask-submit");
      await page.waitForSelector(".ask-message-assistant[data-status=streaming]");
      await page.waitForSelector(".ask-message-assistant[data-status=complete]", { timeout: 20_000 });
      await page.waitForURL(/\/ask\/cnv_/);
      expect(await page.isHidden("#ask-stop")).toBe(true);
      const sources = await page.$$eval(".ask-citations a", (links) => links.map((link) => link.getAttribute("href")));
      expect(sources.length).toBeGreaterThan(0);
      for (const href of sources) expect(href?.startsWith(`/documents/${manualId}/pages/`)).toBe(true);
      // Nothing from the model or the document became markup: no images, scripts or handlers.
      expect(await page.$$(".ask-message img, .ask-message script, .ask-message [onerror]")).toEqual([]);
      expect(await page.textContent(".ask-list")).toContain("What boiler pressure");
      await saveScreenshot(page, "assistant-answer");

      // The page as reloaded from the server shows the same stored answer.
      await page.reload();
      expect(await page.$$(".ask-message")).toHaveLength(2);
      expect(await page.getAttribute(".ask-list a[aria-current=page]", "href")).toBe(new URL(page.url()).pathname);
      await saveScreenshot(page, "assistant-conversation");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
