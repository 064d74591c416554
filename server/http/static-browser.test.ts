import { afterAll, beforeAll, expect } from "bun:test";
import type { Response } from "playwright-core";
import { collectPageErrors, launchBrowser } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";

let box: TestApp;
let cookie: string;
beforeAll(async () => {
  box = await startTestApp();
  const setup = await setUpBox(box);
  cookie = sessionCookie(box, setup.adminId, setup.orgId);
});
afterAll(() => box.close());

testWith(
  "chromium",
  "the board loads its fingerprinted, compressed scripts and stylesheets: htmx runs and the CSS applies",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name = "", value = ""] = cookie.split("=");
      await context.addCookies([{ name, value, url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const statics: Response[] = [];
      page.on("response", (response) => {
        if (new URL(response.url()).pathname.startsWith("/static/")) statics.push(response);
      });
      await page.goto(`${box.url}/tasks/board`, { waitUntil: "load" });
      await page.waitForFunction(() => "htmx" in window && "Sortable" in window);

      const paths = statics.map((response) => new URL(response.url()).pathname).sort();
      for (const name of ["app", "board", "htmx.min", "hx-sse.min", "pico.min", "search", "sortable.min"]) {
        expect(paths.some((path) => new RegExp(`/${name}\\.[0-9a-f]{8}\\.(js|css)$`).test(path))).toBe(true);
      }
      for (const response of statics) {
        expect(response.status()).toBe(200);
        const headers = await response.allHeaders();
        expect(headers["cache-control"]).toBe("public, max-age=31536000, immutable");
        // Chromium offers brotli to HTTPS and to loopback, which it counts as a secure origin.
        expect(headers["content-encoding"]).toBe("br");
      }
      const styled = await page.evaluate(() => ({
        sheets: [...document.styleSheets].map((sheet) => sheet.cssRules.length),
        picoFont: getComputedStyle(document.documentElement).getPropertyValue("--pico-font-family").trim(),
      }));
      expect(styled.sheets.length).toBe(2);
      for (const rules of styled.sheets) expect(rules).toBeGreaterThan(50);
      expect(styled.picoFont).not.toBe("");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
