import { afterAll, beforeAll, describe, expect } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { sessionCookie } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testWith } from "../../testing/tools.ts";
import {
  forceStatus,
  type InvoiceBody,
  json,
  makeCustomer,
  makeInvoice,
  pdfToText,
  type Scene,
  setUpScene,
} from "./test-kit.ts";

let box: TestApp;
let scene: Scene;
let submitted: InvoiceBody;
let overdue: InvoiceBody;
let cookies: { admin: string; manager: string };

const AMOUNT = "$1,234.50";

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  cookies = {
    admin: sessionCookie(box, scene.acme.adminId, scene.acme.orgId),
    manager: sessionCookie(box, scene.userIds.manager, scene.acme.orgId),
  };
  const customer = await makeCustomer(scene.admin, { name: "Dollar Corp", currency: "USD" });
  const lines = [{ description: "Boiler service", quantity: 1, unitPrice: 123450, taxRate: 0 }];
  const draft = await makeInvoice(scene.admin, customer.id, { lines });
  submitted = await json<InvoiceBody>(await scene.admin("POST", `/api/v1/invoices/${draft.id}/submit`), 200);
  overdue = await makeInvoice(scene.admin, customer.id, { lines, issueDate: "2020-01-01" });
  forceStatus(box, overdue.id, "overdue");
});
afterAll(() => box.close());

const page = async (path: string, cookie: string) => {
  const response = await box.fetch(path, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  return await response.text();
};

/** The HTML of one section of the Pulse. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  return start < 0 ? "" : html.slice(start, html.indexOf("</section>", start));
}

describe("one USD amount reads the same everywhere", () => {
  testWith(
    "pdftotext",
    "the invoice page, its print page, its PDF, its approval and the Pulse show $1,234.50",
    async () => {
      expect(overdue.total).toBe(123450);
      const places: [string, string][] = [
        ["invoice page", await page(`/invoices/${overdue.id}`, cookies.admin)],
        ["print page", await page(`/invoices/${overdue.id}/print`, cookies.admin)],
        ["invoice list", await page("/invoices", cookies.admin)],
        ["approval page", await page(`/approvals/${submitted.approvalRequestId}`, cookies.manager)],
        ["Pulse: approvals", section(await page("/", cookies.manager), "pulse-approvals")],
        ["Pulse: overdue invoices", section(await page("/", cookies.manager), "pulse-invoices")],
      ];
      const pdf = await scene.admin("GET", `/api/v1/invoices/${overdue.id}/pdf`);
      places.push(["PDF", pdfToText(new Uint8Array(await pdf.arrayBuffer()))]);
      for (const [where, text] of places) {
        expect({ where, shows: text.includes(AMOUNT) }).toEqual({ where, shows: true });
        expect({ where, prefixed: /US\$|USD\s?1|1,234\.50\s?USD/.test(text) }).toEqual({ where, prefixed: false });
      }
    },
  );
});
