import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { seedCustomer, seedProject } from "../search/search-test-kit.ts";
import { seedIssuedInvoice, seedTime } from "./report-test-kit.ts";

let box: TestApp;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const org = acme.orgId;
  cookie.admin = sessionCookie(box, acme.adminId, org);
  for (const role of ["manager", "team_lead", "viewer"]) {
    cookie[role] = sessionCookie(box, await createUser(box, { orgId: org, role }), org);
  }
  const web = seedProject(box, org, { code: "WEB", name: "Website <script>" });
  seedTime(box, org, { userId: acme.adminId, date: "2030-03-01", minutes: 90, projectId: web });
  const customer = seedCustomer(box, org, { name: "Euro Ltd" });
  seedIssuedInvoice(box, org, {
    customerId: customer,
    currency: "EUR",
    issueDate: "2030-03-05",
    status: "paid",
    total: 123456,
  });
});
afterAll(() => box.close());

async function page(who: string, path: string) {
  const response = await box.fetch(path, { headers: { Cookie: cookie[who] ?? "" } });
  return { status: response.status, html: await response.text(), response };
}

const march = "from=2030-03-01&to=2030-03-31";

describe("GET /reports", () => {
  test("shows each person only the reports their role allows", async () => {
    const expectations: [string, string[], string[]][] = [
      [
        "viewer",
        ["hours-by-project", "tasks-completed"],
        ["hours-by-person", "invoices-by-status", "invoices-by-month"],
      ],
      ["team_lead", ["hours-by-project", "hours-by-person", "tasks-completed"], ["invoices-by-status"]],
      [
        "manager",
        ["hours-by-project", "hours-by-person", "invoices-by-status", "invoices-by-month", "tasks-completed"],
        [],
      ],
    ];
    for (const [who, shown, hidden] of expectations) {
      const { status, html } = await page(who, `/reports?${march}`);
      expect(status).toBe(200);
      for (const section of shown)
        expect([who, section, html.includes(`<section class="report" id="${section}"`)]).toEqual([who, section, true]);
      for (const section of hidden)
        expect([who, section, html.includes(`id="${section}"`)]).toEqual([who, section, false]);
    }
  });

  test("draws accessible SVG charts with their figures, escaped, and CSV links for the range", async () => {
    const { html } = await page("manager", `/reports?${march}`);
    expect(html).toContain('role="img" aria-labelledby="hours-by-project-chart-title hours-by-project-chart-desc"');
    expect(html).toContain('<title id="hours-by-project-chart-title">Hours by project</title>');
    expect(html).toContain("<title>WEB · Website &lt;script&gt;: 1.5 h</title>");
    expect(html).not.toContain("Website <script>");
    expect(html).toContain("<summary>Show the figures</summary>");
    expect(html).toContain("€1,234.56");
    expect(html).toContain('href="/reports/hours.csv?groupBy=project&amp;from=2030-03-01&amp;to=2030-03-31"');
    expect(html).toContain('href="/reports/invoices.csv?groupBy=month&amp;from=2030-03-01&amp;to=2030-03-31"');
    expect(html).toContain('href="/reports/tasks-completed.csv?weeks=12"');
    // The page's own CSS and no inline style: the strict CSP refuses inline styles.
    expect(html).not.toContain("style=");
  });

  test("empty reports say what would fill them", async () => {
    const { html } = await page("manager", "/reports?from=2031-01-01&to=2031-01-31");
    expect(html).toContain("No time was logged in this range.");
    expect(html).toContain("No invoices were issued in this range.");
  });

  test("the last twelve months by default", async () => {
    const { html } = await page("viewer", "/reports");
    const today = new Date().toISOString().slice(0, 10);
    expect(html).toContain(`name="to" value="${today}"`);
  });

  test("422 with the typed values and the reason for a backwards range or a bad day", async () => {
    const backwards = await page("viewer", "/reports?from=2030-03-31&to=2030-03-01");
    expect(backwards.status).toBe(422);
    expect(backwards.html).toContain('name="from" value="2030-03-31"');
    expect(backwards.html).toContain("The end of the range comes before its start.");
    expect(backwards.html).toContain("Fix the range above to see the reports.");
    const badDay = await page("viewer", "/reports?from=31.03.2030");
    expect(badDay.status).toBe(422);
    expect(badDay.html).toContain("Use a date like 2030-01-31.");
  });
});

describe("GET /reports/*.csv", () => {
  test("the console's CSV is the API's CSV", async () => {
    for (const path of [
      `/reports/hours.csv?${march}`,
      `/reports/invoices.csv?groupBy=month&${march}`,
      "/reports/tasks-completed.csv",
    ]) {
      const consoleCsv = await page("manager", path);
      const apiCsv = await page("manager", `/api/v1${path}`);
      expect(consoleCsv.status).toBe(200);
      expect(consoleCsv.response.headers.get("Content-Disposition")).toStartWith("attachment;");
      expect(consoleCsv.html).toBe(apiCsv.html);
    }
  });

  test("403 for hours by person and invoices without the permission", async () => {
    expect((await page("viewer", "/reports/hours.csv?groupBy=person")).status).toBe(403);
    expect((await page("team_lead", "/reports/invoices.csv")).status).toBe(403);
  });
});
