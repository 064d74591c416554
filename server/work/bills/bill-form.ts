import type { PostedForm } from "../../http/validate-form.ts";
import { formatScaledDecimal } from "../../tools/decimals.ts";
import { basisPointsToPercent, isCurrency, minorToDecimal } from "../../tools/money.ts";
import { type FormErrors, type LineFormValues, lineBodiesOf, readLineRows } from "../invoices/invoice-form.ts";
import type { BillView } from "./bills.ts";

/** The bill form as typed: strings only, money in major units, so a refused form comes back as it was left. */
export type BillFormValues = {
  supplierName: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  notes: string;
  lines: LineFormValues[];
  /** The ETag the edit form was opened with (412 when the bill changed since). */
  etag: string;
};

/** Blank rows the form offers below the lines (the form has no script to add rows). */
export const SPARE_ROWS = 2;

export const blankLine = (): LineFormValues => ({ id: "", description: "", quantity: "1", unitPrice: "", taxRate: "" });

export function readBillForm(form: PostedForm): BillFormValues {
  return {
    supplierName: form.text("supplierName"),
    number: form.text("number"),
    issueDate: form.text("issueDate"),
    dueDate: form.text("dueDate"),
    currency: form.text("currency").trim().toUpperCase(),
    notes: form.text("notes"),
    lines: readLineRows(form),
    etag: form.text("etag"),
  };
}

/** A bill's current values in the form's units, for the edit page. */
export function billFormValues(view: BillView, etag: string): BillFormValues {
  const { bill } = view;
  return {
    supplierName: bill.supplierName,
    number: bill.number,
    issueDate: bill.issueDate ?? "",
    dueDate: bill.dueDate ?? "",
    currency: bill.currency,
    notes: bill.notes,
    lines: view.lines.map((line) => ({
      id: "",
      description: line.description,
      quantity: formatScaledDecimal(line.quantityMilli, 3),
      unitPrice: minorToDecimal(line.unitPrice, bill.currency),
      taxRate: basisPointsToPercent(line.taxRate),
    })),
    etag,
  };
}

/** The form as the API's input, with the amounts it could not read as errors by field. */
export function billInputOf(values: BillFormValues): { body: Record<string, unknown>; errors: FormErrors } {
  // Amounts are read in the typed currency; until it is a real one, in two decimals (the currency field says why).
  const { lines, errors } = lineBodiesOf(values.lines, isCurrency(values.currency) ? values.currency : "EUR");
  return {
    body: {
      supplierName: values.supplierName,
      number: values.number,
      issueDate: values.issueDate || null,
      dueDate: values.dueDate || null,
      currency: values.currency,
      notes: values.notes,
      lines,
    },
    errors,
  };
}
