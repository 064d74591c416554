import { z } from "zod";
import { billStatuses } from "../../../models/bills.ts";
import { pageQuery } from "../../http/cursor.ts";
import { currencyCode, day, lineInput } from "../invoices/schemas.ts";

/** One schema per request: the API validates with these, the console form converts into them. */

const billLineInput = lineInput.omit({ id: true });
export type BillLineInput = z.infer<typeof billLineInput>;

const lines = z.array(billLineInput).max(200, "Use at most 200 lines.");
const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

const fields = {
  supplierName: text(200).min(1, "Enter the supplier's name."),
  number: text(60).optional(),
  issueDate: day.nullable().optional(),
  dueDate: day.nullable().optional(),
  currency: currencyCode,
  notes: text(5000).optional(),
};

export const billInput = z.object({ ...fields, lines: lines.default([]) }).strict();
export type BillInput = z.infer<typeof billInput>;

export const updateBillInput = z
  .object({ ...fields, lines })
  .partial()
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one field to change.",
  });
export type UpdateBillInput = z.infer<typeof updateBillInput>;

export const billListQuery = pageQuery.extend({
  status: z.enum(billStatuses, { error: `Use a status among: ${billStatuses.join(", ")}.` }).optional(),
});
export type BillListQuery = z.infer<typeof billListQuery>;

// Answer shapes, for the OpenAPI document.

const billSummary = z.object({
  id: z.string(),
  supplierName: z.string(),
  number: z.string(),
  issueDate: z.string().nullable().describe("YYYY-MM-DD"),
  dueDate: z.string().nullable().describe("YYYY-MM-DD"),
  currency: z.string().describe("ISO 4217"),
  status: z.enum(billStatuses),
  notes: z.string(),
  subtotal: z.number().int().describe("minor units: Σ line amounts"),
  tax: z.number().int().describe("minor units: Σ line taxes"),
  total: z.number().int().describe("minor units: subtotal + tax"),
  sourceDocumentId: z.string().nullable().describe("The document it was read from"),
  confidence: z
    .number()
    .nullable()
    .describe("0–1: share of the reading's checks that passed (see confidenceNotes); null when typed by a person"),
  confidenceNotes: z.array(z.string()).describe("What lowered the confidence"),
  approvalRequestId: z.string().nullable(),
  createdBy: z.string().nullable().describe("The person who created it"),
  createdByAgent: z.string().nullable().describe("The agent that created it (`document-parser`)"),
  paidAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const billJsonSchema = billSummary.extend({
  lines: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      quantity: z.number(),
      unitPrice: z.number().int().describe("minor units"),
      taxRate: z.number().int().describe("basis points: 2000 = 20 %"),
      amount: z.number().int(),
      tax: z.number().int(),
    }),
  ),
});

export const billPageSchema = z.object({ data: z.array(billSummary), nextCursor: z.string().nullable() });
