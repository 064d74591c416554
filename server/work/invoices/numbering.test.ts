import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { type InvoiceBody, json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./test-kit.ts";

type SettingsBody = {
  prefix: string;
  paymentTermDays: number;
  defaultCurrency: string;
  defaultTaxRate: number;
  nextNumber: number;
  nextInvoiceNumber: string;
};

let box: TestApp;
let scene: Scene;
let customerId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  customerId = (await makeCustomer(scene.admin)).id;
});
afterAll(() => box.close());

describe("invoice numbers", () => {
  test("follow a per-organisation sequence: INV-0001, INV-0002, … and another organisation starts its own", async () => {
    const first = await makeInvoice(scene.admin, customerId);
    const second = await makeInvoice(scene.admin, customerId);
    expect([first.number, second.number]).toEqual(["INV-0001", "INV-0002"]);
    const theirs = await makeInvoice(scene.outsider, (await makeCustomer(scene.outsider)).id);
    expect(theirs.number).toBe("INV-0001");
  });

  test("a deleted draft's number is never reused", async () => {
    const doomed = await makeInvoice(scene.admin, customerId);
    expect((await scene.admin("DELETE", `/api/v1/invoices/${doomed.id}`)).status).toBe(204);
    const next = await makeInvoice(scene.admin, customerId);
    expect(Number(next.number.slice(-4))).toBe(Number(doomed.number.slice(-4)) + 1);
  });

  test("a new prefix applies to the next invoice and the sequence goes on; switching back skips used numbers", async () => {
    const before = await json<SettingsBody>(await scene.admin("GET", "/api/v1/invoice-settings"), 200);
    const changed = await json<SettingsBody>(
      await scene.admin("PUT", "/api/v1/invoice-settings", { prefix: "ACME-2026/" }),
      200,
    );
    expect(changed.nextInvoiceNumber).toBe(`ACME-2026/${String(before.nextNumber).padStart(4, "0")}`);
    const prefixed = await makeInvoice(scene.admin, customerId);
    expect(prefixed.number).toBe(changed.nextInvoiceNumber);

    // Back to the old prefix with the counter where an old invoice already has the number.
    await json(await scene.admin("PUT", "/api/v1/invoice-settings", { prefix: "INV-" }), 200);
    box.deps.db.$client.run("UPDATE invoice_settings SET next_number = 1 WHERE org_id = ?", [scene.acme.orgId]);
    const skipped = await makeInvoice(scene.admin, customerId);
    expect(skipped.number).not.toBe("INV-0001");
    expect(skipped.number).toMatch(/^INV-\d{4}$/);
  });

  test("concurrent creates in one process never share a number", async () => {
    const made = await Promise.all(Array.from({ length: 25 }, () => makeInvoice(scene.admin, customerId)));
    const numbers = made.map((invoice: InvoiceBody) => invoice.number);
    expect(new Set(numbers).size).toBe(25);
  });
});

describe("GET and PUT /api/v1/invoice-settings", () => {
  test("answers the settings with an ETag; a stale If-Match is 412", async () => {
    const read = await scene.admin("GET", "/api/v1/invoice-settings");
    const etag = read.headers.get("ETag") ?? "";
    await json(read, 200);
    await json(
      await scene.admin("PUT", "/api/v1/invoice-settings", { paymentTermDays: 21 }, { "If-Match": etag }),
      200,
    );
    const stale = await scene.admin("PUT", "/api/v1/invoice-settings", { paymentTermDays: 7 }, { "If-Match": etag });
    expect(stale.status).toBe(412);
  });

  test("refuses a bad prefix, currency, term or tax rate with 422 on each field", async () => {
    const response = await scene.admin("PUT", "/api/v1/invoice-settings", {
      prefix: "<script>",
      defaultCurrency: "EURO",
      paymentTermDays: -1,
      defaultTaxRate: 20000,
    });
    expect(response.status).toBe(422);
    const paths = (await errorOf(response)).details?.map((detail) => detail.path).sort();
    expect(paths).toEqual(["defaultCurrency", "defaultTaxRate", "paymentTermDays", "prefix"]);
  });

  test("a new organisation reads the defaults", async () => {
    const settings = await json<SettingsBody>(await scene.outsider("GET", "/api/v1/invoice-settings"), 200);
    expect(settings).toMatchObject({ prefix: "INV-", paymentTermDays: 30, defaultCurrency: "EUR", defaultTaxRate: 0 });
  });
});
