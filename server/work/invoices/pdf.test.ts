import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from "pdf-lib";
import { startTestApp, type TestApp } from "../../testing/harness.ts";
import { json, makeCustomer, makeInvoice, type Scene, setUpScene } from "./test-kit.ts";

let box: TestApp;
let scene: Scene;

beforeAll(async () => {
  box = await startTestApp();
  scene = await setUpScene(box);
});
afterAll(() => box.close());

const winAnsi = new TextDecoder("windows-1252");

/** The text drawn on every page: pdf-lib writes standard-font text as hex strings shown with Tj. */
async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string; title: string | undefined }> {
  const doc = await PDFDocument.load(bytes);
  const parts: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const operators = new TextDecoder("latin1").decode(decodePDFRawStream(stream).decode());
      for (const match of operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        parts.push(winAnsi.decode(Buffer.from(match[1] ?? "", "hex")));
      }
    }
  }
  return { pages: doc.getPageCount(), text: parts.join("\n"), title: doc.getTitle() };
}

describe("GET /api/v1/invoices/:id/pdf", () => {
  test("a real PDF: attachment, parses with pdf-lib, shows organisation, number, dates, customer, lines and total", async () => {
    const customer = await makeCustomer(scene.admin, {
      name: "Müller & Söhne GmbH",
      address: "Hauptstraße 1\n10115 Berlin",
      taxId: "DE123456789",
      currency: "EUR",
    });
    const invoice = await makeInvoice(scene.admin, customer.id, {
      issueDate: "2026-05-04",
      notes: "Payable by bank transfer.",
      lines: [
        { description: "Wartung Heizung – Mai", quantity: 2.5, unitPrice: 8000, taxRate: 1900 },
        { description: "Rabatt", quantity: 1, unitPrice: -2000, taxRate: 1900 },
        { description: "Unencodable 漢字 text", quantity: 1, unitPrice: 1, taxRate: 0 },
      ],
    });
    const response = await scene.admin("GET", `/api/v1/invoices/${invoice.id}/pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="invoice-${invoice.number}.pdf"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
    const { pages, text, title } = await pdfText(bytes);
    expect(pages).toBe(1);
    expect(title).toBe(`Invoice ${invoice.number}`);
    // 2.5 × 80.00 = 200.00, tax 38.00; −20.00, tax −3.80; 0.01. Total = 180.01 + 34.20 = 214.21
    expect(invoice.total).toBe(21421);
    for (const expected of [
      "Acme Ltd",
      `Number: ${invoice.number}`,
      "Issue date: 2026-05-04",
      "Due date: 2026-06-03",
      "Müller & Söhne GmbH",
      "Hauptstraße 1",
      "Tax ID: DE123456789",
      "Wartung Heizung – Mai",
      "-€20.00",
      "19%",
      "Total (EUR)",
      "€214.21",
      "Unencodable ?? text",
      "Payable by bank transfer.",
    ]) {
      expect(text).toContain(expected);
    }
  });

  test("many lines flow onto further pages", async () => {
    const customer = await makeCustomer(scene.admin, { currency: "JPY" });
    const lines = Array.from({ length: 80 }, (_, index) => ({
      description: `Item ${index + 1} with a description long enough to wrap onto a second line in the table`,
      quantity: 1,
      unitPrice: 1000,
      taxRate: 1000,
    }));
    const invoice = await makeInvoice(scene.admin, customer.id, { lines });
    const response = await scene.admin("GET", `/api/v1/invoices/${invoice.id}/pdf`);
    const { pages, text } = await pdfText(new Uint8Array(await response.arrayBuffer()));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain("Item 80 with");
    expect(text).toContain("¥88,000");
  });

  test("another organisation's invoice PDF is 404", async () => {
    const invoice = await makeInvoice(scene.admin, (await makeCustomer(scene.admin)).id);
    const response = await scene.outsider("GET", `/api/v1/invoices/${invoice.id}/pdf`);
    expect((await json<{ error: { code: string } }>(response, 404)).error.code).toBe("not_found");
  });
});
