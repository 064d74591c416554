import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startTestApp();
});
afterAll(() => box.close());

let cookie = "";
async function setUp(): Promise<void> {
  const { adminId, orgId } = await setUpBox(box, { name: "Acme Ltd" });
  cookie = sessionCookie(box, adminId, orgId);
}

describe("landing before setup", () => {
  test("GET / redirects to /setup while the box is not set up", async () => {
    const response = await box.fetch("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/setup");
  });

  test("/setup says the box is not set up yet and where the setup token is", async () => {
    const response = await box.fetch("/setup");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("This box is not set up yet.");
    expect(html).toContain(`${box.dataDir}/setup-token`);
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
  beforeAll(setUp);

  test("GET / asks anonymous visitors to sign in", async () => {
    const home = await box.fetch("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("Location")).toBe("/sign-in?next=%2F");
  });

  test("GET / shows the organisation's Pulse when signed in, and /setup leads back to it", async () => {
    const home = await box.fetch("/", { headers: { Cookie: cookie } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("<h1>Acme Ltd</h1>");
    expect(html).toContain('<p class="pulse-eyebrow">Pulse</p>');
    const setup = await box.fetch("/setup");
    expect(setup.status).toBe(302);
    expect(setup.headers.get("Location")).toBe("/");
  });

  test("htmx navigation gets the page content without the layout", async () => {
    const response = await box.fetch("/", { headers: { "HX-Request": "true", Cookie: cookie } });
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toContain('<p class="pulse-eyebrow">Pulse</p>');
  });

  testWith("chromium", "the start page shows the navigation and a 404 page renders", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const [name = "", value = ""] = cookie.split("=");
      await page.context().addCookies([{ name, value, url: box.url }]);
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
