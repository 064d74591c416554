/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  InvoiceSettingsPage,
  type InvoiceSettingsValues,
} from "../../../views/pages/work/invoices/invoice-settings.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, readForm } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { basisPointsToPercent, percentToBasisPoints } from "../../tools/money.ts";
import { invoiceSettingsInput } from "./schemas.ts";
import { formatInvoiceNumber, invoiceSettingsEtag, readInvoiceSettings, updateInvoiceSettings } from "./settings.ts";

const guard = () => requirePermission("invoices.manage");
const currencies = Intl.supportedValuesOf("currency");

function render(
  c: Context<AppEnv>,
  state: { values?: InvoiceSettingsValues; errors?: Record<string, string>; notice?: string; message?: string },
  status: ContentfulStatusCode = 200,
) {
  const ctx = serviceContext(c);
  const settings = readInvoiceSettings(ctx.db, ctx.orgId);
  const values = state.values ?? {
    prefix: settings.prefix,
    paymentTermDays: String(settings.paymentTermDays),
    defaultCurrency: settings.defaultCurrency,
    defaultTaxRate: basisPointsToPercent(settings.defaultTaxRate),
    etag: invoiceSettingsEtag(settings),
  };
  return renderPage(
    c,
    { title: "Invoice numbering and defaults", current: "/invoices" },
    <InvoiceSettingsPage
      values={values}
      errors={state.errors ?? {}}
      notice={state.notice ?? null}
      message={state.message ?? null}
      nextInvoiceNumber={formatInvoiceNumber(settings.prefix, settings.nextNumber)}
      currencies={currencies}
      csrf={formCsrf(c)}
    />,
    status,
  );
}

/** /invoices/settings: the same settings as PUT /api/v1/invoice-settings. */
export const invoiceSettingsConsole = new Hono<AppEnv>()
  .get("/", guard(), (c) => render(c, {}))
  .post("/", guard(), async (c) => {
    const fields = await readForm(c);
    const values: InvoiceSettingsValues = {
      prefix: fields.prefix ?? "",
      paymentTermDays: fields.paymentTermDays ?? "",
      defaultCurrency: (fields.defaultCurrency ?? "").trim().toUpperCase(),
      defaultTaxRate: fields.defaultTaxRate ?? "",
      etag: fields.etag ?? "",
    };
    const days = values.paymentTermDays.trim();
    const taxRate = percentToBasisPoints(values.defaultTaxRate);
    const parsed = invoiceSettingsInput.safeParse({
      prefix: values.prefix,
      paymentTermDays: /^\d+$/.test(days) ? Number(days) : Number.NaN,
      defaultCurrency: values.defaultCurrency,
      defaultTaxRate: taxRate ?? Number.NaN,
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
      if (taxRate === null) errors.defaultTaxRate = "Enter a percentage like 20 or 7.5.";
      return render(c, { values, errors }, 422);
    }
    try {
      updateInvoiceSettings(serviceContext(c), parsed.data, values.etag || undefined);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "precondition_failed") throw error;
      return render(
        c,
        { values, message: "Someone changed these settings since you opened them. Reload to see theirs." },
        412,
      );
    }
    return render(c, { notice: "Saved." });
  });
