import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { type InvoiceBody, json, logTime, makeCustomer, makeProject, type Scene, setUpScene } from "./test-kit.ts";

let box: TestApp;
let scene: Scene;

beforeAll(async () => {
  box = await startTestApp();
  scene = await setUpScene(box);
  await makeCustomer(scene.admin, {
    name: "Northwind Traders",
    email: "accounts@northwind.example",
    address: "12 Harbour Street\nPortsmouth PO1 2AB",
    taxId: "GB987654321",
    currency: "EUR",
  });
  const { projectId, taskIds } = makeProject(box, scene.acme.orgId, "Harbour boilers", ["Annual inspection"]);
  const entry = { orgId: scene.acme.orgId, userId: scene.acme.adminId, projectId, taskId: taskIds[0] };
  logTime(box, { ...entry, date: "2026-05-02", minutes: 60 });
  logTime(box, { ...entry, date: "2026-05-03", minutes: 30 });
});
afterAll(() => box.close());

function adminCookie() {
  return browserSessionCookie(box, scene.acme.adminId, scene.acme.orgId);
}

testWith(
  "chromium",
  "an invoice is typed with live totals, kept on a refusal, created, and printed",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/invoices/new`);
      expect(await page.textContent("h1")).toBe("New invoice");
      await page.selectOption("select[name=customerId]", { label: "Northwind Traders (EUR)" });
      await page.fill("input[name=issueDate]", "2026-05-04");

      await page.fill("input[name='lines.0.description']", "Boiler service");
      await page.fill("input[name='lines.0.quantity']", "2.5");
      await page.fill("input[name='lines.0.unitPrice']", "80");
      await page.fill("input[name='lines.0.taxRate']", "20");
      // Totals follow the typing (computed on the server with totals.ts).
      await page.waitForFunction(() => document.querySelector("#invoice-totals")?.textContent?.includes("€240.00"));

      await page.click("button.inv-add-line");
      await page.waitForSelector("input[name='lines.1.description']");
      expect(await page.inputValue("input[name='lines.0.description']")).toBe("Boiler service");
      await page.fill("input[name='lines.1.description']", "Spare valve");
      await page.fill("input[name='lines.1.unitPrice']", "12.345");
      await page.fill("input[name='lines.1.taxRate']", "20");

      await page.click("button.inv-add-line");
      await page.waitForSelector("input[name='lines.2.description']");
      await page.fill("input[name='lines.2.description']", "Loyalty discount");
      await page.fill("input[name='lines.2.unitPrice']", "-10");
      await page.fill("input[name='lines.2.taxRate']", "20");
      await page.waitForFunction(() => document.querySelector("#line-amount-2")?.textContent?.includes("-€10.00"));

      // 12.345 has too many decimals for EUR: refused, every typed value kept.
      await page.click("form.inv-form button[type=submit]");
      await page.waitForSelector("input[name='lines.1.unitPrice'][aria-invalid=true]");
      expect(await page.inputValue("input[name='lines.1.unitPrice']")).toBe("12.345");
      expect(await page.inputValue("input[name='lines.2.description']")).toBe("Loyalty discount");
      expect(await page.inputValue("input[name=issueDate]")).toBe("2026-05-04");
      await saveScreenshot(page, "invoices-new-refused");

      await page.fill("input[name='lines.1.unitPrice']", "12.35");
      await page.waitForFunction(() => document.querySelector("#invoice-totals")?.textContent?.includes("€242.82"));
      await saveScreenshot(page, "invoices-new-lines");
      await page.click("form.inv-form button[type=submit]");
      await page.waitForURL(/\/invoices\/inv_/);
      expect(await page.textContent("h1")).toContain("INV-0001");
      const id = new URL(page.url()).pathname.split("/").at(-1) ?? "";
      const invoice = await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${id}`), 200);
      // 200.00 + 12.35 − 10.00 = 202.35; tax 40.00 + 2.47 − 2.00 = 40.47; total 242.82
      expect(invoice).toMatchObject({ subtotal: 20235, tax: 4047, total: 24282 });

      // Bill the project's time: 1.5 h at 60.00 + 20 % tax.
      await page.selectOption("select[name=projectId]", { label: "Harbour boilers" });
      await page.fill("input[name=from]", "2026-05-01");
      await page.fill("input[name=to]", "2026-05-31");
      await page.fill("input[name=unitPrice]", "60");
      await page.fill("input[name=taxRate]", "20");
      await page.click(".inv-bill-time button[type=submit]");
      await page.waitForSelector("text=Added 1 line from time.");
      expect(await page.textContent("table.inv-lines-read")).toContain("Harbour boilers: Annual inspection");
      expect(await page.textContent("table.inv-lines-read")).toContain("€350.82");
      await saveScreenshot(page, "invoices-detail-draft");

      await page.click("text=Submit for approval");
      await page.waitForSelector("text=Submitted for approval.");
      expect(await page.isVisible("a[href^='/approvals/apr_']")).toBe(true);

      await page.goto(`${box.url}/invoices/${id}/print`);
      expect(await page.isVisible("nav.app-nav")).toBe(false);
      expect(await page.textContent(".inv-sheet")).toContain("€350.82");
      await saveScreenshot(page, "invoices-print");
      await page.emulateMedia({ media: "print" });
      expect(await page.isVisible(".inv-print-back")).toBe(false);
      await saveScreenshot(page, "invoices-print-media");

      await page.emulateMedia({ media: "screen" });
      await page.goto(`${box.url}/invoices`);
      expect(await page.textContent("table.inv-table")).toContain("INV-0001");
      await saveScreenshot(page, "invoices-list");
      // The refused form's 422 is expected; nothing else may fail (no script errors, no CSP violations).
      expect(errors.filter((error) => !error.includes("status of 422"))).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
