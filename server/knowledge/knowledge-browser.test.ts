import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testModelEnv, testModelPath } from "../testing/test-model.ts";
import { testWith } from "../testing/tools.ts";
import { makePdf } from "./test-kit.ts";

// With the test model the search is hybrid (its vectors rank nothing meaningful, so only the
// keyword hit is asserted); without it the page says the ranking is by keywords alone.
const modelPath = testModelPath();
let box: TestApp;
let orgId = "";
let memberId = "";

beforeAll(async () => {
  box = await startTestApp({ env: modelPath ? testModelEnv(modelPath) : {} });
  orgId = (await setUpBox(box)).orgId;
  memberId = await createUser(box, { orgId, role: "member", name: "Mo Member" });
});
afterAll(() => box.close());

testWith(
  "chromium",
  "a PDF uploaded in the console is indexed, found on the search page, and its cited page opens",
  async () => {
    const pdf = await makePdf([
      { heading: "Introduction", lines: ["This manual covers the Vitodens boiler."] },
      { heading: "Safety", lines: ["Never open the casing while the unit is live."] },
      { heading: "Condensate trap", lines: ["Clean the condensate trap every spring.", "Refill it with water."] },
    ]);
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name = "", value = ""] = sessionCookie(box, memberId, orgId).split("=");
      await context.addCookies([{ name, value, url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);

      await page.goto(`${box.url}/documents`);
      await page.locator("#upload-input").setInputFiles({
        name: "vitodens-manual.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from(pdf),
      });
      await page.locator(".upload-item[data-state=done]").waitFor({ timeout: 20_000 });
      await page.locator("#document-list .document-status-indexed").waitFor({ timeout: 60_000 });

      await page.goto(`${box.url}/search`);
      await page.getByRole("searchbox", { name: "Search for" }).fill("condensate trap");
      const hit = page.locator(".search-documents .document-hit").first();
      await hit.waitFor({ timeout: 20_000 });
      expect(await hit.locator(".document-hit-page").innerText()).toBe("page 3");
      expect(await hit.locator(".search-snippet mark").allInnerTexts()).toEqual(
        expect.arrayContaining(["condensate", "trap"]),
      );
      expect(await hit.locator(".document-hit-score").innerText()).toMatch(/^score 0\.\d{4}$/);
      const note = page.locator(".search-documents .search-mode-note");
      if (modelPath) expect(await note.count()).toBe(0);
      else expect(await note.innerText()).toContain("Keyword ranking only.");
      // The URL follows the typing, so the search can be shared or reloaded.
      expect(new URL(page.url()).searchParams.get("q")).toBe("condensate trap");
      await saveScreenshot(page, "search-documents");

      await hit.locator("a").click();
      await page.waitForURL(/\/documents\/doc_[0-9a-z]+\/pages\/3#page-3$/);
      const cited = page.locator("#page-3");
      await cited.waitFor();
      expect(await cited.getAttribute("class")).toContain("document-text-page-focus");
      expect(await cited.innerText()).toContain("Clean the condensate trap every spring.");
      await saveScreenshot(page, "search-cited-page");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  120_000,
);
