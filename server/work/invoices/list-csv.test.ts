import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { forceStatus, type InvoiceBody, json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./test-kit.ts";

let box: TestApp;
let scene: Scene;
let customerId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  customerId = (await makeCustomer(scene.admin, { name: "Initech", currency: "USD" })).id;
});
afterAll(() => box.close());

describe("GET /api/v1/invoices and /api/v1/invoices.csv", () => {
  test("filters by status and customer, pages newest first, stable while invoices are added", async () => {
    const customer = await makeCustomer(scene.admin, { name: "Paging Co" });
    const made = [];
    for (let index = 0; index < 3; index += 1) made.push(await makeInvoice(scene.admin, customer.id));
    forceStatus(box, made[0]?.id ?? "", "sent");
    const first = await json<{ data: InvoiceBody[]; nextCursor: string }>(
      await scene.admin("GET", `/api/v1/invoices?customerId=${customer.id}&status=draft&limit=1`),
      200,
    );
    expect(first.data.map((invoice) => invoice.id)).toEqual([made[2]?.id ?? ""]);
    await makeInvoice(scene.admin, customer.id);
    const second = await json<{ data: InvoiceBody[]; nextCursor: string | null }>(
      await scene.admin(
        "GET",
        `/api/v1/invoices?customerId=${customer.id}&status=draft&limit=1&cursor=${first.nextCursor}`,
      ),
      200,
    );
    expect(second.data.map((invoice) => invoice.id)).toEqual([made[1]?.id ?? ""]);
    expect(second.data[0]).not.toHaveProperty("lines");
    const several = await json<{ data: InvoiceBody[] }>(
      await scene.admin("GET", `/api/v1/invoices?customerId=${customer.id}&status=sent,draft`),
      200,
    );
    expect(several.data).toHaveLength(4);
    expect((await scene.admin("GET", "/api/v1/invoices?status=lost")).status).toBe(422);
    expect((await scene.admin("GET", "/api/v1/invoices?cursor=bogus")).status).toBe(422);
  });

  test("CSV: a header, one record per matching invoice, formulas defused, numbers left as numbers", async () => {
    const sneaky = await makeCustomer(scene.admin, { name: '=HYPERLINK("http://evil.example","x")' });
    const invoice = await makeInvoice(scene.admin, sneaky.id, {
      lines: [{ description: "Refund", quantity: 1, unitPrice: -1234, taxRate: 0 }],
    });
    const response = await scene.admin("GET", `/api/v1/invoices.csv?customerId=${sneaky.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toStartWith("text/csv");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="invoices-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toStartWith("id,number,status,customer_id,customer_name,currency");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `${invoice.id},${invoice.number},draft,${sneaky.id},"'=HYPERLINK(""http://evil.example"",""x"")",EUR`,
    );
    expect(lines[1]).toContain(",-1234,0,-1234,-12.34,");
  });

  test("another organisation sees none of these invoices: 404 on each route, absent from its list and CSV", async () => {
    const invoice = await makeInvoice(scene.admin, customerId);
    for (const [method, path] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["GET", "/pdf"],
      ["POST", "/submit"],
      ["POST", "/send"],
      ["POST", "/mark-paid"],
      ["POST", "/void"],
    ] as const) {
      const response = await scene.outsider(
        method,
        `/api/v1/invoices/${invoice.id}${path}`,
        method === "PATCH" ? { notes: "x" } : undefined,
      );
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    const list = await json<{ data: InvoiceBody[] }>(await scene.outsider("GET", "/api/v1/invoices"), 200);
    expect(list.data.map((row) => row.id)).not.toContain(invoice.id);
    expect(await (await scene.outsider("GET", "/api/v1/invoices.csv")).text()).not.toContain(invoice.id);
  });
});
