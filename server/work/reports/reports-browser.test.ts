import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../../testing/browser.ts";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { browserSessionCookie, createUser, setUpBox, type TestBox } from "../../testing/identity.ts";
import { testWith } from "../../testing/tools.ts";
import { startOfDay, todayUtc, weekStartOf } from "../../tools/days.ts";
import { seedCustomer, seedProject } from "../search/search-test-kit.ts";
import { seedCompletedTask, seedIssuedInvoice, seedTime } from "./report-test-kit.ts";

let box: TestApp;
let acme: TestBox;

beforeAll(async () => {
  box = await startTestApp();
  acme = await setUpBox(box);
  const org = acme.orgId;
  const people = [acme.adminId];
  for (const name of ["Bea Builder", "Carl Carpenter", "Dora Draughts"]) {
    people.push(await createUser(box, { orgId: org, role: "member", name }));
  }
  const projects = [
    seedProject(box, org, { code: "WEB", name: "Website relaunch" }),
    seedProject(box, org, { code: "FIT", name: "Office fit-out" }),
    seedProject(box, org, { code: "BLR", name: "Boiler room" }),
    seedProject(box, org, { code: "OPS", name: "Operations" }),
  ];
  let n = 0;
  for (const [p, projectId] of projects.entries()) {
    for (const [u, userId] of people.entries()) {
      n += 1;
      const minutes = (((p + 1) * 97 + u * 53) % 420) + 30;
      seedTime(box, org, {
        userId,
        date: `2030-03-${String((n % 28) + 1).padStart(2, "0")}`,
        minutes,
        projectId,
        billable: u % 2 === 0,
      });
    }
  }
  const eur = seedCustomer(box, org, { name: "Euro Ltd" });
  const usd = seedCustomer(box, org, { name: "Dollar Inc" });
  const statuses = ["draft", "pending_approval", "approved", "sent", "paid", "paid", "overdue", "void"] as const;
  for (let month = 1; month <= 6; month += 1) {
    for (let i = 0; i < (month % 3) + 2; i += 1) {
      seedIssuedInvoice(box, org, {
        customerId: i % 3 === 0 ? usd : eur,
        currency: i % 3 === 0 ? "USD" : "EUR",
        issueDate: `2030-0${month}-${String(i * 5 + 2).padStart(2, "0")}`,
        status: statuses[(month + i) % statuses.length] ?? "paid",
        total: 50_000 + month * 12_345 + i * 7_001,
      });
    }
  }
  const monday = startOfDay(weekStartOf(todayUtc())).getTime();
  for (let week = 0; week < 12; week += 1) {
    for (let i = 0; i < ((week * 7) % 5) + (week % 2); i += 1) {
      seedCompletedTask(box, org, new Date(monday - week * 7 * 86_400_000 + i * 3_600_000 + 60_000));
    }
  }
});
afterAll(() => box.close());

function adminCookie() {
  return browserSessionCookie(box, acme.adminId, acme.orgId);
}

testWith(
  "chromium",
  "/reports draws every chart with its figures, changes range without a reload, in light and dark mode",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addCookies([adminCookie()]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/reports?from=2030-01-01&to=2030-06-30`);
      expect(await page.textContent("h1")).toBe("Reports");
      expect(await page.locator("svg.chart-svg").count()).toBe(5);
      expect(await page.locator("#hours-by-project rect.chart-bar").count()).toBe(4);
      expect(await page.locator("#invoices-by-month rect.chart-bar").count()).toBe(12);
      await saveScreenshot(page, "reports");

      await page.click("#hours-by-person summary");
      expect(await page.locator("#hours-by-person details table tbody tr").count()).toBe(4);
      await saveScreenshot(page, "reports-figures-open");

      await page.fill("input[name=from]", "2030-03-01");
      await page.fill("input[name=to]", "2030-03-31");
      await page.click(".report-filters button[type=submit]");
      await page.waitForURL(/from=2030-03-01/);
      await page.waitForSelector("#invoices-by-month .chart-bar");
      expect(await page.locator("#invoices-by-month rect.chart-bar").count()).toBe(2);

      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(`${box.url}/reports?from=2030-01-01&to=2030-06-30`);
      await saveScreenshot(page, "reports-dark");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
