import { z } from "zod";
import { invoiceStatuses } from "../../../models/billing.ts";

/** The answers' shapes, for the OpenAPI document (the requests' schemas are in schemas.ts). */

export const customerJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string(),
  address: z.string(),
  taxId: z.string(),
  currency: z.string().describe("ISO 4217"),
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const invoiceSummary = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  currency: z.string().describe("ISO 4217"),
  issueDate: z.string().describe("YYYY-MM-DD"),
  dueDate: z.string().describe("YYYY-MM-DD"),
  status: z.enum(invoiceStatuses),
  notes: z.string(),
  subtotal: z.number().int().describe("minor units: Σ line amounts"),
  tax: z.number().int().describe("minor units: Σ line taxes"),
  total: z.number().int().describe("minor units: subtotal + tax"),
  approvalRequestId: z.string().nullable(),
  createdBy: z.string().nullable(),
  sentAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  voidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const invoiceJsonSchema = invoiceSummary.extend({
  lines: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      quantity: z.number().describe("up to three decimals"),
      unitPrice: z.number().int().describe("minor units"),
      taxRate: z.number().int().describe("basis points: 2000 = 20 %"),
      amount: z.number().int().describe("round half away from zero (quantity × unitPrice)"),
      tax: z.number().int().describe("round half away from zero (amount × taxRate / 10000)"),
    }),
  ),
});

export const customerPageSchema = z.object({ data: z.array(customerJsonSchema), nextCursor: z.string().nullable() });
export const invoicePageSchema = z.object({ data: z.array(invoiceSummary), nextCursor: z.string().nullable() });

export const invoiceSettingsJsonSchema = z.object({
  prefix: z.string(),
  paymentTermDays: z.number().int(),
  defaultCurrency: z.string(),
  defaultTaxRate: z.number().int(),
  nextNumber: z.number().int(),
  nextInvoiceNumber: z.string(),
});
