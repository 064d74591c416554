import { afterAll, beforeAll, expect } from "bun:test";
import { collectPageErrors, launchBrowser, saveScreenshot, type TestBrowser } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { sessionCookie } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./invoices/test-kit.ts";

// Pages of the console at a phone's width, with long names and numbers: wide tables scroll
// inside their own box, and no page scrolls sideways as a whole.

let box: TestApp;
let s: Scene;
let browser: TestBrowser;
const paths: Record<string, string> = {};
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  box = await startTestApp();
  s = await setUpScene(box);
  const customer = await makeCustomer(s.admin, { name: "Longname Industrial Supplies GmbH & Co. KG" });
  const invoice = await makeInvoice(s.admin, customer.id, {
    lines: [
      {
        description: "Consulting on the reconstruction of the northern warehouse loading bay",
        quantity: 12,
        unitPrice: 1_250_000,
        taxRate: 2000,
      },
      { description: "Travel", quantity: 3, unitPrice: 4500, taxRate: 0 },
    ],
  });
  const project = await json<{ id: string }>(
    await s.admin("POST", "/api/v1/projects", { name: "Northern warehouse reconstruction programme", code: "NWRP" }),
    201,
  );
  const task = await json<{ id: string }>(
    await s.admin("POST", "/api/v1/tasks", {
      title: "Replace the damaged loading bay door seals before the winter deliveries start",
      projectId: project.id,
      labels: ["maintenance", "urgent-before-winter"],
    }),
    201,
  );
  const equipment = await json<{ id: string }>(
    await s.admin("POST", "/api/v1/equipment", {
      name: "Industrial condensing boiler, basement plant room",
      type: "Heating",
      serialNumber: "SN-2024-000123456789",
    }),
    201,
  );
  Object.assign(paths, {
    pulse: "/",
    projects: "/projects",
    project: `/projects/${project.id}`,
    tasks: "/tasks",
    board: "/tasks/board",
    task: `/tasks/${task.id}`,
    "new task": "/tasks/new",
    approvals: "/approvals",
    invoices: "/invoices",
    invoice: `/invoices/${invoice.id}`,
    "invoice form": `/invoices/${invoice.id}/edit`,
    customers: "/customers",
    time: "/time",
    equipment: "/equipment",
    "equipment item": `/equipment/${equipment.id}`,
    reports: "/reports",
    documents: "/documents",
    ask: "/ask",
    users: "/settings/users",
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  box?.close();
});

testWith(
  "chromium",
  "no console page scrolls sideways on a phone",
  async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const cookie = sessionCookie(box, s.acme.adminId, s.acme.orgId);
    const at = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: box.url }]);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const widths: Record<string, number> = {};
    for (const [name, path] of Object.entries(paths)) {
      const response = await page.goto(box.url + path);
      expect([name, response?.status()]).toEqual([name, 200]);
      widths[name] = await page.evaluate(() => document.documentElement.scrollWidth);
    }
    for (const name of ["invoice form", "equipment item", "users"]) {
      await page.goto(box.url + paths[name]);
      await saveScreenshot(page, `phone-${name.replace(" ", "-")}`);
    }
    expect(widths).toEqual(Object.fromEntries(Object.keys(paths).map((name) => [name, PHONE.width])));
    expect(errors).toEqual([]);
    await context.close();
  },
  60_000,
);
