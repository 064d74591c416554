import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, sessionCookie } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { recordInvoiceHistory } from "./history.ts";
import { forceStatus, type InvoiceBody, json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./test-kit.ts";

let box: TestApp;
let scene: Scene;
let cookie = "";
let customer: { id: string; name: string } | undefined;

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  cookie = sessionCookie(box, scene.acme.adminId, scene.acme.orgId);
});

async function oscorp() {
  customer ??= await makeCustomer(scene.admin, { name: "Oscorp", email: "ap@oscorp.test" });
  return customer;
}
afterAll(() => box.close());

const page = (path: string, asCookie = cookie) => box.fetch(path, { headers: { Cookie: asCookie } });
const fragment = (path: string) => box.fetch(path, { headers: consoleHeaders(box, cookie) });
const post = (path: string, fields: Record<string, string>) => postForm(box, cookie, path, fields);

describe("empty states", () => {
  test("/invoices without customers says to add a customer first; /customers says how to start", async () => {
    const invoices = await (await page("/invoices")).text();
    expect(invoices).toContain("No invoices yet.");
    expect(invoices).toContain('href="/customers/new"');
    expect(await (await page("/customers")).text()).toContain("Add the first customer");
    expect(await (await page("/invoices/new")).text()).toContain("An invoice needs a customer.");
  });
});

describe("customers in the console", () => {
  test("a refused customer keeps every typed value (422); a valid one is created", async () => {
    const typed = {
      name: "Stark Industries",
      email: "not-an-email",
      phone: "555",
      address: "Malibu",
      taxId: "US1",
      currency: "usd",
      notes: "VIP",
    };
    const refused = await post("/customers", typed);
    expect(refused.status).toBe(422);
    const body = await refused.text();
    expect(body).toContain('value="Stark Industries"');
    expect(body).toContain('value="not-an-email"');
    expect(body).toContain('value="USD"');
    expect(body).toContain("Enter a valid e-mail address.");
    const created = await post("/customers", { ...typed, email: "ap@stark.example" });
    expect(created.headers.get("HX-Redirect")).toBe("/customers");
    expect(await (await page("/customers")).text()).toContain("Stark Industries");
    await oscorp();
  });

  test("editing with a stale ETag is refused (412) and keeps the values; deleting one with invoices is 409", async () => {
    const target = await makeCustomer(scene.admin, { name: "Cyberdyne" });
    const form = await (await page(`/customers/${target.id}/edit`)).text();
    const etag = /name="etag" value="([^"]+)"/.exec(form)?.[1]?.replaceAll("&quot;", '"') ?? "";
    expect(etag).not.toBe("");
    await json(await scene.admin("PATCH", `/api/v1/customers/${target.id}`, { phone: "1" }), 200);
    const stale = await post(`/customers/${target.id}/edit`, { name: "Cyberdyne Systems", currency: "EUR", etag });
    expect(stale.status).toBe(412);
    expect(await stale.text()).toContain('value="Cyberdyne Systems"');
    await makeInvoice(scene.admin, target.id);
    const refused = await post(`/customers/${target.id}/delete`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("has invoices");
  });
});

describe("the invoice form", () => {
  const line = (index: number, description: string, quantity: string, unitPrice: string, taxRate: string) => ({
    [`lines.${index}.description`]: description,
    [`lines.${index}.quantity`]: quantity,
    [`lines.${index}.unitPrice`]: unitPrice,
    [`lines.${index}.taxRate`]: taxRate,
  });

  test("a refused invoice (422) comes back with every typed value and the field errors", async () => {
    const response = await post("/invoices", {
      customerId: (await oscorp()).id,
      currency: "EUR",
      issueDate: "2026-03-01",
      dueDate: "2026-02-01",
      notes: "Keep me",
      ...line(0, "Design work", "1.5", "12.345", "20"),
      ...line(1, "", "2", "", ""),
      ...line(2, "Hosting", "1,5", "9.99", "abc"),
    });
    expect(response.status).toBe(422);
    const body = await response.text();
    for (const kept of [
      'value="Design work"',
      'value="12.345"',
      'value="1,5"',
      'value="abc"',
      'value="2026-02-01"',
      "Keep me",
    ]) {
      expect(body).toContain(kept);
    }
    expect(body).toContain("Enter a price in EUR, like 12.50.");
    expect(body).toContain("Enter a quantity like 1 or 1.5");
    expect(body).toContain("Enter a percentage like 20 or 7.5.");
    // The blank second row was dropped, so the hosting line is now line 2.
    expect(body).toContain('name="lines.1.description" value="Hosting"');
  });

  test("a valid invoice is created from major units and percent, and the browser is sent to it", async () => {
    const response = await post("/invoices", {
      customerId: (await oscorp()).id,
      currency: "",
      issueDate: "2026-03-01",
      dueDate: "",
      notes: "",
      ...line(0, "Design work", "1.5", "123.45", "20"),
      ...line(1, "Discount", "1", "-10", "20"),
    });
    const location = response.headers.get("HX-Redirect") ?? "";
    expect(location).toMatch(/^\/invoices\/inv_/);
    const invoice = await json<InvoiceBody>(await scene.admin("GET", `/api/v1${location}`), 200);
    expect(invoice).toMatchObject({ currency: "EUR", dueDate: "2026-03-31", subtotal: 17518, tax: 3504, total: 21022 });
    expect(invoice.lines.map((row) => [row.quantity, row.unitPrice, row.taxRate])).toEqual([
      [1.5, 12345, 2000],
      [1, -1000, 2000],
    ]);
  });

  test("the line editor adds and removes rows keeping typed values, and totals are recomputed by totals.ts", async () => {
    const typed = {
      customerId: (await oscorp()).id,
      currency: "JPY",
      ...line(0, "Tea", "3", "1500", "10"),
      ...line(1, "Cups", "2", "800", "10"),
    };
    const added = await (await post("/invoices/editor/add", typed)).text();
    expect(added).toContain('name="lines.2.description"');
    expect(added).toContain('value="Tea"');
    expect(added).toContain("¥6,100"); // 4500 + 1600
    const removed = await (await post("/invoices/editor/remove/0", typed)).text();
    expect(removed).not.toContain('value="Tea"');
    expect(removed).toContain('name="lines.0.description" value="Cups"');
    const totals = await (await post("/invoices/editor/totals", typed)).text();
    expect(totals).toContain('id="invoice-totals"');
    expect(totals).toContain("¥6,710"); // 6100 + 610 tax
    expect(totals).toContain('<output id="line-amount-1" hx-swap-oob="true">¥1,600</output>');
  });
});

describe("the invoice page", () => {
  test("shows only the actions of the status, the documents and, once submitted, the approval link", async () => {
    const invoice = await makeInvoice(scene.admin, (await oscorp()).id);
    const draft = await (await page(`/invoices/${invoice.id}`)).text();
    expect(draft).toContain("Submit for approval");
    expect(draft).toContain("Delete draft");
    expect(draft).toContain(`/invoices/${invoice.id}/edit`);
    expect(draft).not.toContain("Send to customer");
    expect(draft).not.toContain("Mark paid");
    expect(draft).toContain(`/api/v1/invoices/${invoice.id}/pdf`);
    expect(draft).toContain(`/invoices/${invoice.id}/print`);

    const submitted = await post(`/invoices/${invoice.id}/submit`, {});
    const after = await submitted.text();
    expect(submitted.status).toBe(200);
    expect(after).toContain("Submitted for approval.");
    expect(after).toMatch(/href="\/approvals\/apr_[0-9a-z]{26}"/);
    expect(after).not.toContain("Submit for approval</button>");
    expect(after).toContain(">Void</button>");

    forceStatus(box, invoice.id, "approved");
    const approved = await (await page(`/invoices/${invoice.id}`)).text();
    expect(approved).toContain("Send to customer");
    expect(approved).not.toContain("Mark paid");
    expect((await page(`/invoices/${invoice.id}/edit`)).status).toBe(409);

    const illegal = await post(`/invoices/${invoice.id}/mark-paid`, {});
    expect(illegal.status).toBe(409);
    expect(await illegal.text()).toContain("(status &quot;approved&quot;) and cannot be marked paid");
  });

  test("the print view is a document of its own: no navigation, the number, lines and total", async () => {
    const invoice = await makeInvoice(scene.admin, (await oscorp()).id);
    const response = await page(`/invoices/${invoice.id}/print`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toStartWith("<!doctype html>");
    expect(body).not.toContain('class="app-nav"');
    expect(body).toContain(invoice.number);
    expect(body).toContain("Consulting");
    expect(body).toContain("€120.00");
    expect(body).toContain("Oscorp");
  });

  test("the history shows status changes and reminders with who did them: a person or the agent", async () => {
    const invoice = await makeInvoice(scene.admin, (await oscorp()).id);
    expect(await (await page(`/invoices/${invoice.id}`)).text()).not.toContain('id="invoice-history"');
    await post(`/invoices/${invoice.id}/submit`, {});
    const actor = { orgId: scene.acme.orgId, userId: null, agentId: "invoice-follow-up" };
    const text = "Reminder sent to ap@oscorp.test (14 days overdue)";
    recordInvoiceHistory(box.deps.db, actor, invoice.id, { kind: "reminder", text }, new Date());
    const body = await (await page(`/invoices/${invoice.id}`)).text();
    const history = body.slice(body.indexOf('id="invoice-history"'));
    expect(history).toMatch(/Draft → Pending approval — <span class="inv-history-by">[^<]+<\/span>/);
    expect(history).toContain(`${text} — <span class="inv-history-by">Invoice follow-up</span>`);
    expect(history.indexOf("Pending approval")).toBeLessThan(history.indexOf("Reminder sent"));
  });

  test("another organisation's invoice and customer pages are 404", async () => {
    const invoice = await makeInvoice(scene.admin, (await oscorp()).id);
    const theirs = sessionCookie(box, scene.other.adminId, scene.other.orgId);
    for (const path of [
      `/invoices/${invoice.id}`,
      `/invoices/${invoice.id}/print`,
      `/invoices/${invoice.id}/edit`,
      `/customers/${(await oscorp()).id}/edit`,
    ]) {
      expect([path, (await page(path, theirs)).status]).toEqual([path, 404]);
    }
  });
});

describe("invoice settings page", () => {
  test("a refused change keeps the values (422); a valid one changes the next number", async () => {
    const refused = await post("/invoices/settings", {
      prefix: "A<B",
      paymentTermDays: "ten",
      defaultCurrency: "EUR",
      defaultTaxRate: "20",
    });
    expect(refused.status).toBe(422);
    const body = await refused.text();
    expect(body).toContain('value="A&lt;B"');
    expect(body).toContain('value="ten"');
    const saved = await (
      await post("/invoices/settings", {
        prefix: "AC-",
        paymentTermDays: "14",
        defaultCurrency: "EUR",
        defaultTaxRate: "7.5",
      })
    ).text();
    expect(saved).toContain("Saved.");
    expect(saved).toMatch(/class="inv-next-number">AC-\d{4}</);
    const settings = await json<{ defaultTaxRate: number }>(await scene.admin("GET", "/api/v1/invoice-settings"), 200);
    expect(settings.defaultTaxRate).toBe(750);
  });
});

describe("the invoice list", () => {
  test("filters by status, shows totals, links the CSV of the same filter", async () => {
    const invoice = await makeInvoice(scene.admin, (await oscorp()).id);
    forceStatus(box, invoice.id, "sent");
    const body = await (await fragment("/invoices?status=sent")).text();
    expect(body).toContain(invoice.number);
    expect(body).toContain('href="/api/v1/invoices.csv?status=sent"');
    expect(body).toContain("Total of these invoices (EUR)");
    const paid = await (await page("/invoices?status=paid")).text();
    expect(paid).toContain("No paid invoices.");
  });
});
