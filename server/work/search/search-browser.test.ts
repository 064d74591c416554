import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { seedCustomer, seedEquipment, seedInvoice, seedProject, seedTask } from "./search-test-kit.ts";

let box: TestApp;
let acme: TestBox;

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  const org = acme.orgId;
  const project = seedProject(box, org, {
    code: "BLR",
    name: "Boiler room refit",
    description: "Replace the old boiler and the pipes in the basement.",
  });
  seedTask(box, org, {
    title: "Service the boiler",
    description: "Yearly check of the gas boiler: burner, flue, pressure.",
    labels: ["maintenance"],
    projectId: project,
  });
  seedTask(box, org, {
    title: "Order valves",
    description: "Two valves for the boiler circuit, <b>not</b> the cheap ones.",
    projectId: project,
  });
  seedEquipment(box, org, { name: "Boiler Vitodens 200", manufacturer: "Viessmann", serialNumber: "7543-210" });
  const customer = seedCustomer(box, org, { name: "Café Müller", notes: "Boiler maintenance contract" });
  seedInvoice(box, org, { number: "INV-0042", customerId: customer, notes: "Boiler repair, March" });
});
afterAll(() => box.close());

function adminCookie() {
  return browserSessionCookie(box, acme.adminId, acme.orgId);
}

testWith(
  "chromium",
  "'/' focuses the header search, typing shows live results, Enter opens /search grouped by kind",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/reports`);
      await page.keyboard.press("/");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("global-search");

      await page.keyboard.type("boil");
      await page.waitForSelector("#global-search-results .search-hit");
      expect(await page.locator("#global-search-results .search-hit").count()).toBe(6);
      await saveScreenshot(page, "search-header-live");

      // The arrow keys walk into the results; Escape closes them.
      await page.keyboard.press("ArrowDown");
      expect(await page.evaluate(() => document.activeElement?.closest(".search-hit") !== null)).toBe(true);
      await page.keyboard.press("Escape");
      expect(await page.locator("#global-search-results .search-hit").count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("global-search");

      await page.keyboard.press("Enter");
      await page.waitForURL(/\/search\?query=boil$/);
      expect(await page.textContent("h1")).toBe("Search");
      const headings = await page.locator("#search-results h2").allTextContents();
      expect(headings.map((text) => text.replace(/\s+/g, " ").trim()).sort()).toEqual([
        "Customers (1)",
        "Equipment (1)",
        "Invoices (1)",
        "Projects (1)",
        "Tasks (2)",
      ]);
      expect(await page.locator("#search-results mark").first().textContent()).toBe("Boiler");
      await saveScreenshot(page, "search-results");

      // Typing on the page narrows the results without a reload.
      await page.fill(".search-form input[name=q]", "cafe");
      await page.waitForSelector("#search-results h2:has-text('Customers')");
      await page.waitForURL(/q=cafe/);
      expect(await page.locator("#search-results .search-hit").count()).toBe(2);

      await page.fill(".search-form input[name=q]", "zebra");
      await page.waitForSelector("text=Nothing matches “zebra”");
      await saveScreenshot(page, "search-no-match");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
