import { z } from "zod";
import { invoiceStatuses } from "../../../models/billing.ts";
import { pageQuery } from "../../http/cursor.ts";
import { isCalendarDay } from "../../tools/days.ts";
import { isCurrency } from "../../tools/money.ts";
import { quantityToMilli } from "./totals.ts";

/** One schema per request: the API validates with these, the console forms convert into them. */

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, { message: "Use an ISO 4217 currency code such as EUR, USD or JPY." });

/** A real calendar day as `YYYY-MM-DD`. */
export const day = z
  .string()
  .trim()
  .refine(
    // isCalendarDay, not toISOString() straight: a month 13 is an Invalid Date, whose toISOString() throws (a 500).
    (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDay(value),
    {
      message: "Use a date as YYYY-MM-DD.",
    },
  );

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

export const customerInput = z.object({
  name: z.string().trim().min(1, "Enter the customer's name.").max(200, "Use at most 200 characters."),
  // An empty e-mail field means "no e-mail address".
  email: z
    .preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? null : value),
      z
        .string({ error: "Enter a valid e-mail address." })
        .trim()
        .max(254, "Use at most 254 characters.")
        .pipe(z.email("Enter a valid e-mail address."))
        .transform((email) => email.toLowerCase())
        .nullable(),
    )
    .optional(),
  phone: optionalText(50).optional(),
  address: optionalText(1000).optional(),
  taxId: optionalText(50).optional(),
  currency: currencyCode,
  notes: optionalText(5000).optional(),
});
export type CustomerInput = z.infer<typeof customerInput>;

export const updateCustomerInput = customerInput
  .partial()
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one field to change.",
  });
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customerListQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

const MAX_QUANTITY = 1_000_000_000;
const MAX_UNIT_PRICE = 1_000_000_000_000_000;

export const lineInput = z.object({
  /** An existing line of this invoice to keep (its time entries stay billed to it); omit for a new line. */
  id: z.string().trim().max(40).optional(),
  description: z.string().trim().min(1, "Describe the line.").max(1000, "Use at most 1000 characters."),
  quantity: z
    .number({ error: "Enter a quantity." })
    .gt(0, "The quantity must be more than 0.")
    .max(MAX_QUANTITY, "The quantity is too large.")
    .refine((value) => quantityToMilli(value) !== null, { message: "Use at most three decimals." }),
  unitPrice: z
    .number({ error: "Enter a unit price in minor units." })
    .int("The unit price is in minor units (cents): a whole number.")
    .min(-MAX_UNIT_PRICE, "The unit price is too large.")
    .max(MAX_UNIT_PRICE, "The unit price is too large."),
  taxRate: z
    .number({ error: "Enter a tax rate in basis points." })
    .int("The tax rate is in basis points (2000 = 20 %): a whole number.")
    .min(0, "The tax rate cannot be negative.")
    .max(10000, "The tax rate is at most 10000 (100 %).")
    .optional(),
});
export type LineInputBody = z.infer<typeof lineInput>;

const lines = z.array(lineInput).max(500, "Use at most 500 lines.");

export const invoiceInput = z.object({
  customerId: z.string().trim().min(1, "Choose a customer.").max(40),
  currency: currencyCode.optional(),
  issueDate: day.optional(),
  dueDate: day.optional(),
  notes: optionalText(5000).optional(),
  lines: lines.default([]),
});
export type InvoiceInput = z.infer<typeof invoiceInput>;

export const updateInvoiceInput = z
  .object({
    customerId: z.string().trim().min(1, "Choose a customer.").max(40).optional(),
    currency: currencyCode.optional(),
    issueDate: day.optional(),
    dueDate: day.optional(),
    notes: optionalText(5000).optional(),
    lines: lines.optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one field to change.",
  });
export type UpdateInvoiceInput = z.infer<typeof updateInvoiceInput>;

/** `status` takes one status or a comma-separated list. */
export const invoiceListQuery = pageQuery.extend({
  status: z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const list = [...new Set(value.split(",").map((item) => item.trim()))];
      const unknown = list.filter((item) => !(invoiceStatuses as readonly string[]).includes(item));
      if (unknown.length > 0) {
        context.addIssue({ code: "custom", message: `Use statuses among: ${invoiceStatuses.join(", ")}.` });
        return z.NEVER;
      }
      return list as (typeof invoiceStatuses)[number][];
    }),
  customerId: z.string().trim().max(40).optional(),
  issuedFrom: day.optional(),
  issuedTo: day.optional(),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;
export type InvoiceFilters = Omit<InvoiceListQuery, "limit" | "cursor">;

export const invoiceSettingsInput = z
  .object({
    prefix: z
      .string()
      .max(20, "Use at most 20 characters.")
      .regex(/^[A-Za-z0-9 ._/#-]*$/, "Use letters, digits, spaces and . _ / # - only."),
    paymentTermDays: z
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(0, "Use 0 or more days.")
      .max(365, "Use at most 365 days."),
    defaultCurrency: currencyCode,
    defaultTaxRate: z
      .number({ error: "Enter a tax rate in basis points." })
      .int("Use basis points: 2000 = 20 %.")
      .min(0, "The tax rate cannot be negative.")
      .max(10000, "The tax rate is at most 10000 (100 %)."),
  })
  .partial()
  .strict();
export type InvoiceSettingsInput = z.infer<typeof invoiceSettingsInput>;

export const linesFromTimeInput = z
  .object({
    projectId: z.string().trim().min(1, "Choose a project.").max(40),
    from: day,
    to: day,
    unitPrice: lineInput.shape.unitPrice,
    taxRate: lineInput.shape.taxRate,
  })
  .refine((input) => input.from <= input.to, { message: "The end must not be before the start.", path: ["to"] });
export type LinesFromTimeInput = z.infer<typeof linesFromTimeInput>;
