import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { instanceSettings } from "../../models/instance.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { testWith } from "../testing/tools.ts";
import { SETUP_COMPLETED_KEY } from "./state.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startTestApp();
});
afterAll(() => box.close());

function markSetUp(): void {
  box.deps.db
    .insert(instanceSettings)
    .values({ key: SETUP_COMPLETED_KEY, value: new Date().toISOString(), updatedAt: new Date() })
    .run();
}

describe("landing before setup", () => {
  test("GET / redirects to /setup while the box is not set up", async () => {
    const response = await box.fetch("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/setup");
  });

  test("/setup says the box is not set up yet", async () => {
    const response = await box.fetch("/setup");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This box has not been set up yet.");
  });

  testWith("chromium", "the landing page loads in Chromium with htmx, the stylesheet and no CSP errors", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(box.url);
      expect(new URL(page.url()).pathname).toBe("/setup");
      expect(await page.textContent("h1")).toBe("Welcome to Opsbox");
      expect(await page.title()).toBe("Set up · Opsbox");
      await page.waitForFunction(() => "htmx" in window);
      expect(await page.evaluate(() => (window as unknown as { htmx: { version: string } }).htmx.version)).toStartWith(
        "4.",
      );
      const headerBorder = await page.$eval(".app-header", (el) => getComputedStyle(el).borderBottomStyle);
      expect(headerBorder).toBe("solid");
      await saveScreenshot(page, "landing-setup");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("landing after setup", () => {
  beforeAll(markSetUp);

  test("GET / shows the start page and /setup leads back to it", async () => {
    const home = await box.fetch("/");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Your workspace is ready.");
    const setup = await box.fetch("/setup");
    expect(setup.status).toBe(302);
    expect(setup.headers.get("Location")).toBe("/");
  });

  test("htmx navigation gets the page content without the layout", async () => {
    const response = await box.fetch("/", { headers: { "HX-Request": "true" } });
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toContain("Your workspace is ready.");
  });

  testWith("chromium", "the start page shows the navigation and a 404 page renders", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(box.url);
      const nav = await page.$$eval(".app-nav li", (items) => items.map((item) => item.textContent));
      expect(nav).toContain("Pulse");
      expect(nav).toContain("Settings");
      await saveScreenshot(page, "landing-home");
      const missing = await page.goto(`${box.url}/no/such/page`);
      expect(missing?.status()).toBe(404);
      expect(await page.textContent("h1")).toBe("Page not found");
      await saveScreenshot(page, "not-found");
      expect(errors.filter((error) => !error.includes("404"))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
