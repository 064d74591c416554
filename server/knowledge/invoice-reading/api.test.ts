import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testModelPath, testWith } from "../../testing/test-model.ts";
import { seedDocument } from "../assistant/test-kit.ts";
import { cleanFields, toMinor } from "./read-invoice.ts";
import { type ExtractInvoiceAnswer, extractInvoiceAnswerSchema, invoiceExtractionSchema } from "./schemas.ts";
import { INVOICE_TEXT } from "./test-kit.ts";

async function extract(call: Call, documentId: string, body: Record<string, unknown> = {}) {
  return call("POST", `/api/v1/documents/${documentId}/extract-invoice`, body);
}

describe("invoice reading without a chat model", () => {
  let box: TestApp;
  let admin: Call;
  let member: Call;
  let globexAdmin: Call;
  let outsider: Call;
  let documentId: string;
  let emptyDocumentId: string;

  beforeAll(async () => {
    box = await startInProcessApp();
    const acme = await setUpBox(box);
    const globex = await createOrganization(box, "Globex");
    admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
    member = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId));
    globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
    const role = (await (
      await admin("POST", "/api/v1/roles", { name: "Reader", permissions: ["workspace.read"] })
    ).json()) as {
      id: string;
    };
    outsider = apiAs(box, sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: role.id }), acme.orgId));
    documentId = seedDocument(box, acme.orgId, {
      title: "Invoice 2026-117",
      chunks: [{ text: INVOICE_TEXT }],
    }).documentId;
    emptyDocumentId = seedDocument(box, acme.orgId, { title: "Scan", chunks: [] }).documentId;
  });
  afterAll(() => box.close());

  test("another organisation's document is a 404; a document without text yet a 409", async () => {
    expect((await extract(globexAdmin, documentId)).status).toBe(404);
    const empty = await extract(admin, emptyDocumentId);
    expect(empty.status).toBe(409);
  });

  test("a draft needs invoices.manage (403 for a team member); reading needs assistant.ask (403 without)", async () => {
    const draft = await extract(member, documentId, { createDraft: true });
    expect(draft.status).toBe(403);
    expect((await extract(outsider, documentId)).status).toBe(403);
  });

  test("an unknown customer for the draft is a 422 on customerId, before the model runs", async () => {
    const response = await extract(admin, documentId, {
      createDraft: true,
      customerId: "cus_00000000000000000000000000",
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("customerId");
  });

  test("the OpenAPI document lists the route with its request and answer schemas", async () => {
    const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { "x-required-permission"?: string; requestBody?: unknown; responses: Record<string, unknown> }>
      >;
    };
    const operation = doc.paths["/api/v1/documents/{id}/extract-invoice"]?.post;
    expect(operation?.["x-required-permission"]).toBe("assistant.ask");
    expect(operation?.requestBody).toBeDefined();
    expect(JSON.stringify(operation?.responses["200"])).toContain("totals");
  });

  test("without a chat model the answer is a 503 that says what to install", async () => {
    const response = await extract(member, documentId);
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain("Settings → AI");
  });
});

describe("cleaning what the model read", () => {
  test("printed amounts become minor units of the currency; unreadable ones null", () => {
    expect(toMinor("1,250.00", 2)).toBe(125000);
    expect(toMinor("€ 1.250,00", 2)).toBe(125000);
    expect(toMinor("1.250", 2)).toBe(125000);
    expect(toMinor("274.89", 2)).toBe(27489);
    expect(toMinor("¥1,250.00", 0)).toBe(1250);
    expect(toMinor("12.5", 2)).toBe(1250);
    expect(toMinor("n/a", 2)).toBeNull();
    expect(toMinor(null, 2)).toBeNull();
    expect(toMinor("99999999999999999999", 2)).toBeNull();
  });

  test("dates that do not exist, unknown currencies and empty text become null; the result is schema-valid", () => {
    const cleaned = cleanFields({
      vendorName: "  Boiler   Service ",
      customerName: "",
      invoiceNumber: null,
      issueDate: "2026-02-30",
      dueDate: "2026-04-01",
      currency: "eur",
      subtotal: "231.00",
      tax: "x",
      total: "274.89",
      lines: [
        { description: "Valve", quantity: "2", unitPrice: "25.50", amount: "51.00" },
        { description: null, quantity: "-1", unitPrice: null, amount: null },
      ],
    });
    expect(cleaned).toMatchObject({
      vendor: { name: "Boiler Service" },
      customer: { name: null },
      number: null,
      issueDate: null,
      dueDate: "2026-04-01",
      currency: "EUR",
      totals: { subtotal: 23100, tax: null, total: 27489 },
    });
    expect(cleaned.lines[1]).toEqual({ description: "", quantity: null, unitPrice: null, amount: null });
    expect(invoiceExtractionSchema.safeParse(cleaned).success).toBe(true);
    expect(cleanFields({ ...emptyFields, currency: "ZZZ" }).currency).toBeNull();
  });
});

const emptyFields = {
  vendorName: null,
  customerName: null,
  invoiceNumber: null,
  issueDate: null,
  dueDate: null,
  currency: null,
  subtotal: null,
  tax: null,
  total: null,
  lines: [],
};

describe("invoice reading with the chat model", () => {
  const model = testModelPath();
  let box: TestApp;
  let admin: Call;
  let documentId: string;
  let customerId: string;

  beforeAll(async () => {
    if (!model) return;
    box = await startInProcessApp({ env: { OPSBOX_CHAT_MODEL: model, OPSBOX_AI_THREADS: "1" } });
    const acme = await setUpBox(box);
    admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
    documentId = seedDocument(box, acme.orgId, {
      title: "Invoice 2026-117",
      chunks: [{ text: INVOICE_TEXT }],
    }).documentId;
    customerId = (
      (await (await admin("POST", "/api/v1/customers", { name: "Acme Ltd", currency: "EUR" })).json()) as { id: string }
    ).id;
  });
  afterAll(() => box?.close());

  testWith(
    "model",
    "the answer is schema-valid JSON: typed fields, money in integer minor units",
    async () => {
      const response = await extract(admin, documentId);
      expect(response.status).toBe(200);
      const answer = (await response.json()) as ExtractInvoiceAnswer;
      const parsed = extractInvoiceAnswerSchema.safeParse(answer);
      expect(parsed.success).toBe(true);
      expect(answer.documentId).toBe(documentId);
      expect(answer.draft).toBeNull();
      expect(answer.review.length).toBeGreaterThan(0);
    },
    120_000,
  );

  testWith(
    "model",
    "createDraft with a customer makes a draft invoice for review in the invoices service",
    async () => {
      const response = await extract(admin, documentId, { createDraft: true, customerId });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as ExtractInvoiceAnswer;
      expect(extractInvoiceAnswerSchema.safeParse(answer).success).toBe(true);
      expect(answer.draft).toMatchObject({ customerId, matchedBy: "request" });
      const invoice = (await (await admin("GET", `/api/v1/invoices/${answer.draft?.invoiceId}`)).json()) as {
        status: string;
        customerId: string;
        notes: string;
      };
      expect(invoice.status).toBe("draft");
      expect(invoice.customerId).toBe(customerId);
      expect(invoice.notes).toContain(documentId);
    },
    120_000,
  );
});
