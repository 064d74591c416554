import { z } from "zod";
import { day } from "../../http/fields.ts";

/*
 * Two schemas. `invoiceFieldsSchema` is what the model writes: node-llama-cpp turns its JSON
 * schema into a grammar, so every string is bounded (the answer always fits its token budget)
 * and amounts are decimal text as printed on the invoice ("1,250.00"), which models copy far
 * more reliably than they convert to cents. `invoiceExtractionSchema` is what the API answers:
 * checked dates, an ISO 4217 code, money in integer minor units, null for anything unreadable.
 */

const printed = (max: number) => z.string().max(max).nullable();

export const MAX_LINES = 6;

export const invoiceFieldsSchema = z.object({
  vendorName: printed(80),
  customerName: printed(80),
  invoiceNumber: printed(32),
  issueDate: printed(10),
  dueDate: printed(10),
  currency: printed(3),
  subtotal: printed(20),
  tax: printed(20),
  total: printed(20),
  lines: z
    .array(
      z.object({
        description: printed(60),
        quantity: printed(12),
        unitPrice: printed(20),
        amount: printed(20),
      }),
    )
    .max(MAX_LINES),
});
export type InvoiceFields = z.infer<typeof invoiceFieldsSchema>;

const minor = z.number().int().nullable().describe("Integer minor units of `currency` (cents); null when unreadable.");

export const invoiceExtractionSchema = z.object({
  vendor: z.object({ name: z.string().nullable().describe("Who issued the invoice.") }),
  customer: z.object({ name: z.string().nullable().describe("Who the invoice is addressed to.") }),
  number: z.string().nullable(),
  issueDate: day.nullable(),
  dueDate: day.nullable(),
  currency: z.string().length(3).nullable().describe("ISO 4217; null when the invoice names none this box knows."),
  totals: z.object({ subtotal: minor, tax: minor, total: minor }),
  lines: z
    .array(
      z.object({
        description: z.string(),
        quantity: z.number().positive().nullable(),
        unitPrice: minor,
        amount: minor,
      }),
    )
    .max(MAX_LINES),
});
export type InvoiceExtraction = z.infer<typeof invoiceExtractionSchema>;

export const extractInvoiceInput = z
  .object({
    createDraft: z.boolean().default(false).describe("Also create a draft invoice for review (needs invoices.manage)."),
    customerId: z
      .string()
      .trim()
      .max(40)
      .optional()
      .describe("The draft's customer; without it, a customer whose name is the invoice's customer or vendor."),
  })
  .strict();
export type ExtractInvoiceInput = z.infer<typeof extractInvoiceInput>;

export const extractInvoiceAnswerSchema = z.object({
  documentId: z.string(),
  invoice: invoiceExtractionSchema,
  draft: z
    .object({
      invoiceId: z.string(),
      number: z.string(),
      customerId: z.string(),
      matchedBy: z.enum(["request", "customer_name", "vendor_name"]),
      href: z.string(),
    })
    .nullable()
    .describe("The draft invoice created for review, or null (not asked for, or no customer matched: see `review`)."),
  review: z.array(z.string()).describe("What a person should check or decide."),
});
export type ExtractInvoiceAnswer = z.infer<typeof extractInvoiceAnswerSchema>;

type JsonSchema = { [key: string]: unknown };

/**
 * `invoiceFieldsSchema` as node-llama-cpp's grammar reads JSON schema: it knows `oneOf` where
 * zod writes `anyOf` for nullable values, and needs no `$schema`.
 */
export function invoiceFieldsJsonSchema(): JsonSchema {
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== "object") return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$schema") continue;
      out[key === "anyOf" ? "oneOf" : key] = convert(value);
    }
    return out;
  };
  return convert(z.toJSONSchema(invoiceFieldsSchema, { io: "output" })) as JsonSchema;
}
