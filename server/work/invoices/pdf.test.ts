import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PDFDocument } from "pdf-lib";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testWith } from "../../testing/tools.ts";
import { json, makeCustomer, makeInvoice, pdfToText, type Scene, setUpScene } from "./test-kit.ts";

let box: TestApp;
let scene: Scene;

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
});
afterAll(() => box.close());

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string; title: string | undefined }> {
  const doc = await PDFDocument.load(bytes);
  return { pages: doc.getPageCount(), text: pdfToText(bytes), title: doc.getTitle() };
}

describe("GET /api/v1/invoices/:id/pdf", () => {
  testWith(
    "pdftotext",
    "a real PDF: attachment, parses with pdf-lib, shows organisation, number, dates, customer, lines and total",
    async () => {
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
          { description: "No glyph for 漢字 here", quantity: 1, unitPrice: 1, taxRate: 0 },
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
        "No glyph for \uFFFD\uFFFD here",
        "Payable by bank transfer.",
      ]) {
        expect(text).toContain(expected);
      }
    },
  );

  testWith(
    "pdftotext",
    "Polish, German, Turkish, Greek, Cyrillic and Vietnamese read back letter for letter; an emoji becomes a visible �",
    async () => {
      const texts = {
        polish: "Zakład Stolarski Łódź",
        polishAddress: "ul. Żółkiewskiego 15/3, 90-001 Łódź",
        german: "Größe & Maß: Straßenbäume für Düsseldorf",
        turkish: "İstanbul Çiçekçilik – ağır yük, ışık, şoför",
        greek: "Ελληνική υπηρεσία – ΑΒΓΔ αβγδ",
        cyrillic: "Ремонт котла, Ёлка, Київ, Ђурђевак",
        vietnamese: "Nguyễn Thị Hằng – sửa chữa đường ống",
      };
      const customer = await makeCustomer(scene.admin, {
        name: texts.polish,
        address: texts.polishAddress,
        currency: "PLN",
      });
      const invoice = await makeInvoice(scene.admin, customer.id, {
        notes: `${texts.vietnamese}\nParty 🎉 done 👩‍🔧!`,
        lines: [texts.german, texts.turkish, texts.greek, texts.cyrillic].map((description) => ({
          description,
          quantity: 1,
          unitPrice: 123450,
          taxRate: 2300,
        })),
      });
      const started = performance.now();
      const response = await scene.admin("GET", `/api/v1/invoices/${invoice.id}/pdf`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const elapsed = performance.now() - started;
      const { text } = await pdfText(bytes);
      for (const expected of Object.values(texts)) expect(text).toContain(expected);
      // One replacement per emoji (a ZWJ sequence is one), never a silent "?".
      expect(text).toContain("Party \uFFFD done \uFFFD!");
      expect(text).not.toContain("?");
      // The fonts are subset: only the glyphs used travel, not two 700 kB fonts.
      expect(bytes.byteLength).toBeLessThan(120_000);
      expect(elapsed).toBeLessThan(5_000);
    },
  );

  testWith("pdftotext", "many lines flow onto further pages", async () => {
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
