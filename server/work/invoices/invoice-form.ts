import type { InvoiceLine } from "../../../models/billing.ts";
import type { ErrorDetail } from "../../http/errors.ts";
import type { PostedForm } from "../../http/validate-form.ts";
import { formatScaledDecimal, parseScaledDecimal } from "../../tools/decimals.ts";
import {
  basisPointsToPercent,
  decimalToMinor,
  isCurrency,
  minorToDecimal,
  percentToBasisPoints,
} from "../../tools/money.ts";
import type { InvoiceView } from "./invoices.ts";
import { type InvoiceTotals, invoiceTotals, milliToQuantity, TotalsOverflow } from "./totals.ts";

/**
 * The invoice form as typed: every value a string, money in major units ("12.50") and the tax
 * rate in percent ("20"), so a refused form comes back exactly as the person left it.
 */
export type LineFormValues = { id: string; description: string; quantity: string; unitPrice: string; taxRate: string };
export type InvoiceFormValues = {
  customerId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  notes: string;
  lines: LineFormValues[];
  /** The ETag the edit form was opened with (412 when the invoice changed since). */
  etag: string;
};
export type FormErrors = Record<string, string>;

export function emptyLine(defaultTaxRate: number): LineFormValues {
  return { id: "", description: "", quantity: "1", unitPrice: "", taxRate: basisPointsToPercent(defaultTaxRate) };
}

const LINE_FIELD = /^lines\.(\d{1,3})\.(id|description|quantity|unitPrice|taxRate)$/;

/**
 * The posted form's values, rows renumbered from 0. For saving, rows left blank (no
 * description, no price) are dropped; the line editor keeps them (`keepBlank`).
 */
export function readInvoiceForm(form: PostedForm, options: { keepBlank?: boolean } = {}): InvoiceFormValues {
  return {
    customerId: form.text("customerId"),
    currency: form.text("currency").trim().toUpperCase(),
    issueDate: form.text("issueDate"),
    dueDate: form.text("dueDate"),
    notes: form.text("notes"),
    lines: readLineRows(form, options),
    etag: form.text("etag"),
  };
}

/** The posted `lines.N.field` rows, renumbered from 0; blank rows dropped unless `keepBlank` (bills' form too). */
export function readLineRows(form: PostedForm, options: { keepBlank?: boolean } = {}): LineFormValues[] {
  const rows = new Map<number, LineFormValues>();
  for (const name of form.names()) {
    const match = LINE_FIELD.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? { id: "", description: "", quantity: "", unitPrice: "", taxRate: "" };
    row[match[2] as keyof LineFormValues] = form.text(name);
    rows.set(index, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((row) => options.keepBlank || row.description.trim() || row.unitPrice.trim() || row.id);
}

/** An invoice's current values in the form's units, for the edit page. */
export function invoiceFormValues(view: InvoiceView, etag: string): InvoiceFormValues {
  const { invoice } = view;
  return {
    customerId: invoice.customerId,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    notes: invoice.notes,
    lines: view.lines.map((line: InvoiceLine) => ({
      id: line.id,
      description: line.description,
      quantity: formatScaledDecimal(line.quantityMilli, 3),
      unitPrice: minorToDecimal(line.unitPrice, invoice.currency),
      taxRate: basisPointsToPercent(line.taxRate),
    })),
    etag,
  };
}

/** The currency amounts are typed in: the form's, else the customer's, else the organisation's default. */
export function formCurrency(values: InvoiceFormValues, fallback: string): string {
  return isCurrency(values.currency) ? values.currency : fallback;
}

/**
 * The form as the API's input (`body`), with the amounts it could not read as errors by field
 * (`lines.0.unitPrice`); those win over the schema's message for the same field.
 */
export function invoiceInputOf(
  values: InvoiceFormValues,
  currency: string,
): { body: Record<string, unknown>; errors: FormErrors } {
  const { lines, errors } = lineBodiesOf(values.lines, currency);
  const body: Record<string, unknown> = { customerId: values.customerId, notes: values.notes, lines };
  if (values.currency) body.currency = values.currency;
  if (values.issueDate) body.issueDate = values.issueDate;
  if (values.dueDate) body.dueDate = values.dueDate;
  return { body, errors };
}

/** Typed line rows as the API's lines, with what could not be read as errors by field (`lines.0.unitPrice`). */
export function lineBodiesOf(rows: readonly LineFormValues[], currency: string) {
  const errors: FormErrors = {};
  const lines = rows.map((line, index) => {
    const quantityMilli = parseScaledDecimal(line.quantity, 3);
    if (quantityMilli === null)
      errors[`lines.${index}.quantity`] = "Enter a quantity like 1 or 1.5 (at most three decimals).";
    const unitPrice = decimalToMinor(line.unitPrice, currency);
    if (unitPrice === null)
      errors[`lines.${index}.unitPrice`] = `Enter a price in ${currency}, like ${minorToDecimal(1250, currency)}.`;
    const taxRate = line.taxRate.trim() === "" ? undefined : percentToBasisPoints(line.taxRate);
    if (taxRate === null) errors[`lines.${index}.taxRate`] = "Enter a percentage like 20 or 7.5.";
    return {
      ...(line.id ? { id: line.id } : {}),
      description: line.description,
      quantity: quantityMilli === null ? Number.NaN : milliToQuantity(quantityMilli),
      unitPrice: unitPrice ?? Number.NaN,
      ...(taxRate === undefined || taxRate === null ? {} : { taxRate }),
    };
  });
  return { lines, errors };
}

/** The first message per field, by its full path (`lines.0.unitPrice`). */
export function invoiceFieldErrors(details: ErrorDetail[]): FormErrors {
  const errors: FormErrors = {};
  for (const detail of details) errors[detail.path || "form"] ??= detail.message;
  return errors;
}

/**
 * Totals of the lines as typed so far, for the live preview: a line that does not parse yet
 * counts as zero; an empty tax rate is the default. Null when the amounts are too large.
 */
export function previewTotals(
  values: InvoiceFormValues,
  currency: string,
  defaultTaxRate: number,
): InvoiceTotals | null {
  const lines = values.lines.map((line) => ({
    quantityMilli: parseScaledDecimal(line.quantity, 3) ?? 0,
    unitPrice: decimalToMinor(line.unitPrice, currency) ?? 0,
    taxRate:
      line.taxRate.trim() === ""
        ? defaultTaxRate
        : Math.min(10000, Math.max(0, percentToBasisPoints(line.taxRate) ?? 0)),
  }));
  try {
    return invoiceTotals(lines);
  } catch (error) {
    if (error instanceof TotalsOverflow) return null;
    throw error;
  }
}
