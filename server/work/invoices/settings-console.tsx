/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  InvoiceSettingsPage,
  type InvoiceSettingsValues,
} from "../../../views/pages/work/invoices/invoice-settings.tsx";
import { renderPage } from "../../console/render.tsx";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { percentToBasisPoints } from "../../tools/money.ts";
import { invoiceSettingsProps } from "./console-props.ts";
import { invoiceSettingsInput } from "./schemas.ts";
import { updateInvoiceSettings } from "./settings.ts";

const guard = () => requirePermission("invoices.manage");

function render(
  c: Context<AppEnv>,
  state: { values?: InvoiceSettingsValues; errors?: Record<string, string>; notice?: string; message?: string },
  status: ContentfulStatusCode = 200,
) {
  return renderPage(
    c,
    { title: "Invoice numbering and defaults", current: "/invoices" },
    <InvoiceSettingsPage {...invoiceSettingsProps(c, state)} />,
    status,
  );
}

/** The settings as typed; days and the tax rate become numbers (what is not one fails the schema). */
const settingsForm: FormSpec<InvoiceSettingsValues> = {
  values: (form) => ({
    prefix: form.text("prefix"),
    paymentTermDays: form.text("paymentTermDays"),
    defaultCurrency: form.text("defaultCurrency").trim().toUpperCase(),
    defaultTaxRate: form.text("defaultTaxRate"),
    etag: form.text("etag"),
  }),
  input: (values) => {
    const days = values.paymentTermDays.trim();
    return {
      prefix: values.prefix,
      paymentTermDays: /^\d+$/.test(days) ? Number(days) : Number.NaN,
      defaultCurrency: values.defaultCurrency,
      defaultTaxRate: percentToBasisPoints(values.defaultTaxRate) ?? Number.NaN,
    };
  },
  check: (values): Record<string, string> =>
    percentToBasisPoints(values.defaultTaxRate) === null
      ? { defaultTaxRate: "Enter a percentage like 20 or 7.5." }
      : {},
  invalid: (c, values, refusal) =>
    render(c, { values, errors: refusal.errors, message: refusal.message }, refusal.status),
  // A stale save is told above the form; other refusals go to the error page.
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "precondition_failed") throw error;
    return {
      errors: {},
      message: "Someone changed these settings since you opened them. Reload to see theirs.",
      status: 412,
    };
  },
};

/** /invoices/settings: the same settings as PUT /api/v1/invoice-settings. */
export const invoiceSettingsConsole = new Hono<AppEnv>()
  .get("/", guard(), (c) => render(c, {}))
  .post("/", guard(), validateForm(invoiceSettingsInput, settingsForm), (c) => {
    const { input, values, refused } = c.req.valid("form");
    try {
      updateInvoiceSettings(serviceContext(c), input, values.etag || undefined);
    } catch (error) {
      return refused(error);
    }
    return render(c, { notice: "Saved." });
  });
