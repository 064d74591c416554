import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import {
  eventsOf,
  forceStatus,
  type InvoiceBody,
  json,
  makeCustomer,
  makeInvoice,
  type Scene,
  setUpScene,
} from "./test-kit.ts";

let box: TestApp;
let scene: Scene;
let customerId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  customerId = (await makeCustomer(scene.admin, { name: "Initech", currency: "USD" })).id;
});
afterAll(() => box.close());

describe("POST /api/v1/invoices", () => {
  test("creates a numbered draft with exact line amounts and totals, 201 + ETag + Location + invoice.created", async () => {
    const response = await scene.admin("POST", "/api/v1/invoices", {
      customerId,
      issueDate: "2026-01-30",
      notes: "Thank you!",
      lines: [
        { description: "Design", quantity: 1.5, unitPrice: 12345, taxRate: 2000 },
        { description: "Loyalty discount", quantity: 1, unitPrice: -1000, taxRate: 2000 },
        { description: "Half cent", quantity: 0.5, unitPrice: 5, taxRate: 1000 },
      ],
    });
    const invoice = await json<InvoiceBody>(response, 201);
    expect(response.headers.get("ETag")).toMatch(/^"/);
    expect(response.headers.get("Location")).toBe(`/api/v1/invoices/${invoice.id}`);
    expect(invoice).toMatchObject({
      status: "draft",
      customerId,
      customerName: "Initech",
      currency: "USD",
      issueDate: "2026-01-30",
      dueDate: "2026-03-01",
      notes: "Thank you!",
    });
    expect(invoice.number).toMatch(/^INV-\d{4}$/);
    // 1.5 × 123.45 = 185.175 → 185.18; tax 37.036 → 37.04. −10.00, tax −2.00. 0.5 × 0.05 = 0.025 → 0.03, tax 0.
    expect(invoice.lines.map(({ amount, tax, quantity }) => ({ amount, tax, quantity }))).toEqual([
      { amount: 18518, tax: 3704, quantity: 1.5 },
      { amount: -1000, tax: -200, quantity: 1 },
      { amount: 3, tax: 0, quantity: 0.5 },
    ]);
    expect(invoice).toMatchObject({ subtotal: 17521, tax: 3504, total: 21025 });
    expect(eventsOf(box, invoice.id, "invoice.created")).toHaveLength(1);
  });

  test("defaults: issue date today, due after the payment term, the customer's currency, the default tax rate", async () => {
    await json(await scene.admin("PUT", "/api/v1/invoice-settings", { defaultTaxRate: 700, paymentTermDays: 14 }), 200);
    const invoice = await json<InvoiceBody>(
      await scene.admin("POST", "/api/v1/invoices", {
        customerId,
        lines: [{ description: "Support", quantity: 2, unitPrice: 5000 }],
      }),
      201,
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(invoice.issueDate).toBe(today);
    const due = new Date(`${today}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 14);
    expect(invoice.dueDate).toBe(due.toISOString().slice(0, 10));
    expect(invoice.currency).toBe("USD");
    expect(invoice.lines[0]).toMatchObject({ taxRate: 700, amount: 10000, tax: 700 });
    await json(await scene.admin("PUT", "/api/v1/invoice-settings", { defaultTaxRate: 0, paymentTermDays: 30 }), 200);
  });

  test("refuses bad lines, an unknown customer and a due date before the issue date with 422 on the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ customerId, lines: [{ description: "x", quantity: 1.0005, unitPrice: 1 }] }, "lines.0.quantity"],
      [{ customerId, lines: [{ description: "x", quantity: 1, unitPrice: 1.5 }] }, "lines.0.unitPrice"],
      [{ customerId, lines: [{ description: "x", quantity: 1, unitPrice: 1, taxRate: 10001 }] }, "lines.0.taxRate"],
      [{ customerId, lines: [{ description: "", quantity: 1, unitPrice: 1 }] }, "lines.0.description"],
      [{ customerId, lines: [{ description: "x", quantity: 0, unitPrice: 1 }] }, "lines.0.quantity"],
      [{ customerId, currency: "ABC" }, "currency"],
      [{ customerId, issueDate: "2026-02-30" }, "issueDate"],
      // Month 13 is an Invalid Date in JavaScript: it must be a 422 too, not a 500.
      [{ customerId, issueDate: "2026-13-01" }, "issueDate"],
      [{ customerId, dueDate: "2026-00-10" }, "dueDate"],
      [{ customerId: "cus_00000000000000000000000000" }, "customerId"],
      [{ customerId, issueDate: "2026-03-10", dueDate: "2026-03-09" }, "dueDate"],
      [
        { customerId, lines: [{ description: "x", quantity: 1_000_000_000, unitPrice: 1_000_000_000_000_000 }] },
        "lines.0.unitPrice",
      ],
    ];
    for (const [body, path] of cases) {
      const response = await scene.admin("POST", "/api/v1/invoices", body);
      const error = await errorOf(response);
      expect([path, response.status, error.details?.[0]?.path]).toEqual([path, 422, path]);
    }
  });

  test("a customer of another organisation is refused as unknown", async () => {
    const theirs = await makeCustomer(scene.outsider);
    const response = await scene.admin("POST", "/api/v1/invoices", { customerId: theirs.id });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("customerId");
  });
});

describe("GET, PATCH and DELETE /api/v1/invoices/:id", () => {
  test("GET answers the invoice with lines, its ETag, and 304 on If-None-Match", async () => {
    const created = await makeInvoice(scene.admin, customerId);
    const response = await scene.admin("GET", `/api/v1/invoices/${created.id}`);
    const etag = response.headers.get("ETag") ?? "";
    expect(await json<InvoiceBody>(response, 200)).toEqual(created);
    expect(
      (await scene.admin("GET", `/api/v1/invoices/${created.id}`, undefined, { "If-None-Match": etag })).status,
    ).toBe(304);
  });

  test("PATCH replaces lines wholesale, keeps a line named by id, recomputes totals, and 412s a stale If-Match", async () => {
    const created = await makeInvoice(scene.admin, customerId);
    const etag = (await scene.admin("GET", `/api/v1/invoices/${created.id}`)).headers.get("ETag") ?? "";
    const kept = created.lines[0]?.id;
    const response = await scene.admin(
      "PATCH",
      `/api/v1/invoices/${created.id}`,
      {
        notes: "Revised",
        lines: [
          { id: kept, description: "Consulting (revised)", quantity: 2, unitPrice: 10000, taxRate: 2000 },
          { description: "Travel", quantity: 1, unitPrice: 2550, taxRate: 0 },
        ],
      },
      { "If-Match": etag },
    );
    const updated = await json<InvoiceBody>(response, 200);
    expect(updated.lines.map((line) => line.description)).toEqual(["Consulting (revised)", "Travel"]);
    expect(updated.lines[0]?.id).toBe(kept ?? "");
    expect(updated).toMatchObject({ notes: "Revised", subtotal: 22550, tax: 4000, total: 26550 });
    expect(eventsOf(box, created.id, "invoice.updated")[0]?.data).toMatchObject({
      fields: ["notes", "lines", "total"],
    });

    const stale = await scene.admin(
      "PATCH",
      `/api/v1/invoices/${created.id}`,
      { notes: "Again" },
      { "If-Match": etag },
    );
    expect(stale.status).toBe(412);
    const unknownLine = await scene.admin("PATCH", `/api/v1/invoices/${created.id}`, {
      lines: [{ id: "inl_00000000000000000000000000", description: "x", quantity: 1, unitPrice: 1 }],
    });
    expect((await errorOf(unknownLine)).details?.[0]?.path).toBe("lines.0.id");
  });

  test("only a draft may be edited or deleted: 409 naming the status otherwise", async () => {
    for (const status of ["pending_approval", "approved", "sent", "paid", "overdue", "void"] as const) {
      const invoice = await makeInvoice(scene.admin, customerId);
      forceStatus(box, invoice.id, status);
      const patch = await scene.admin("PATCH", `/api/v1/invoices/${invoice.id}`, { notes: "late edit" });
      const patchError = await errorOf(patch);
      const remove = await scene.admin("DELETE", `/api/v1/invoices/${invoice.id}`);
      const removeError = await errorOf(remove);
      expect([status, patch.status, remove.status]).toEqual([status, 409, 409]);
      expect(patchError.message).toContain(`"${status}"`);
      expect(removeError.message).toContain(`"${status}"`);
    }
  });

  test("DELETE removes a draft: 204, then 404, and an invoice.deleted event", async () => {
    const invoice = await makeInvoice(scene.admin, customerId);
    expect((await scene.admin("DELETE", `/api/v1/invoices/${invoice.id}`)).status).toBe(204);
    expect((await scene.admin("GET", `/api/v1/invoices/${invoice.id}`)).status).toBe(404);
    expect(eventsOf(box, invoice.id, "invoice.deleted")).toHaveLength(1);
  });
});

describe("who may reach invoices", () => {
  test("a manager may; team lead, member and viewer get 403 on every invoice route", async () => {
    const invoice = await makeInvoice(scene.asRole.manager, customerId);
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/v1/invoices"],
      ["GET", "/api/v1/invoices.csv"],
      ["POST", "/api/v1/invoices", { customerId }],
      ["GET", `/api/v1/invoices/${invoice.id}`],
      ["PATCH", `/api/v1/invoices/${invoice.id}`, { notes: "x" }],
      ["DELETE", `/api/v1/invoices/${invoice.id}`],
      ["GET", `/api/v1/invoices/${invoice.id}/pdf`],
      ["POST", `/api/v1/invoices/${invoice.id}/submit`],
      ["POST", `/api/v1/invoices/${invoice.id}/send`],
      ["POST", `/api/v1/invoices/${invoice.id}/mark-paid`],
      ["POST", `/api/v1/invoices/${invoice.id}/void`],
      ["POST", `/api/v1/invoices/${invoice.id}/lines-from-time`, {}],
      ["GET", "/api/v1/invoice-settings"],
      ["PUT", "/api/v1/invoice-settings", { prefix: "X-" }],
      ["GET", `/invoices`],
      ["GET", `/invoices/${invoice.id}`],
      ["GET", `/invoices/${invoice.id}/print`],
      ["GET", `/customers`],
    ];
    for (const role of ["team_lead", "member", "viewer"] as const) {
      for (const [method, path, body] of routes) {
        const response = await scene.asRole[role](method, path, body);
        expect([role, method, path, response.status]).toEqual([role, method, path, 403]);
      }
    }
  });
});
