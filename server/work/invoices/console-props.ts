import type { Context } from "hono";
import type { InvoiceSettings } from "../../../models/billing.ts";
import type {
  CustomerFormProps,
  CustomerFormValues,
  CustomerListProps,
} from "../../../views/pages/work/invoices/customers.tsx";
import type { InvoiceActions, InvoiceDetailProps } from "../../../views/pages/work/invoices/invoice-detail.tsx";
import type { InvoiceFormPageProps } from "../../../views/pages/work/invoices/invoice-form.tsx";
import type { InvoiceListProps } from "../../../views/pages/work/invoices/invoice-list.tsx";
import type {
  InvoiceSettingsProps,
  InvoiceSettingsValues,
} from "../../../views/pages/work/invoices/invoice-settings.tsx";
import type { BillTimeValues } from "../../../views/partials/work/invoices/bill-time-form.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { basisPointsToPercent } from "../../tools/money.ts";
import { customerChoices, customerEtag, customerJson, customerOrNotFound, type listCustomers } from "./customers.ts";
import { projectChoices } from "./from-time.ts";
import { listInvoiceHistory } from "./history.ts";
import { type FormErrors, formCurrency, type InvoiceFormValues, previewTotals } from "./invoice-form.ts";
import { type InvoiceView, invoiceJson, type listInvoices } from "./invoices.ts";
import { formatInvoiceNumber, invoiceSettingsEtag, readInvoiceSettings } from "./settings.ts";
import { legalTransitions } from "./transitions.ts";

/** The invoice pages' props: invoices, customers and settings as the views show them. */

export const currencies = Intl.supportedValuesOf("currency");

export type PageState = {
  notice?: string | null;
  error?: string | null;
  billTime?: { values: BillTimeValues; errors: Record<string, string> };
};

export function actionsFor(view: InvoiceView): InvoiceActions {
  const allowed = legalTransitions[view.invoice.status];
  const draft = view.invoice.status === "draft";
  return {
    edit: draft,
    submit: allowed.includes("pending_approval"),
    send: allowed.includes("sent"),
    markPaid: allowed.includes("paid"),
    void: allowed.includes("void"),
    delete: draft,
  };
}

/** The invoice page: the invoice, its customer, what may be done to it and, on a draft, the bill-time form. */
export function invoiceDetailProps(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  view: InvoiceView,
  state: PageState = {},
): InvoiceDetailProps {
  const customer = customerJson(customerOrNotFound(ctx, view.invoice.customerId));
  const draft = view.invoice.status === "draft";
  const settings = draft ? readInvoiceSettings(ctx.db, ctx.orgId) : null;
  const billTime =
    draft && settings
      ? {
          projects: projectChoices(ctx),
          currency: view.invoice.currency,
          values: state.billTime?.values ?? {
            projectId: "",
            from: "",
            to: "",
            unitPrice: "",
            taxRate: basisPointsToPercent(settings.defaultTaxRate),
          },
          errors: state.billTime?.errors ?? {},
        }
      : null;
  return {
    invoice: invoiceJson(view),
    customer,
    actions: actionsFor(view),
    notice: state.notice ?? null,
    error: state.error ?? null,
    csrf: formCsrf(c),
    billTime,
    history: listInvoiceHistory(ctx.db, ctx.orgId, view.invoice.id),
  };
}

/** The invoice list: a page of invoices, its filter, and the page's totals by currency. */
export function invoiceListProps(
  ctx: ServiceContext,
  page: ReturnType<typeof listInvoices>,
  status: InvoiceListProps["status"],
): InvoiceListProps {
  const sums = new Map<string, number>();
  for (const { invoice } of page.data) sums.set(invoice.currency, (sums.get(invoice.currency) ?? 0) + invoice.total);
  const filter = status ? `status=${status}` : "";
  return {
    rows: page.data.map(({ invoice, customerName }) => ({ ...invoice, customerName })),
    status,
    moreHref: page.nextCursor
      ? `/invoices?${filter ? `${filter}&` : ""}cursor=${encodeURIComponent(page.nextCursor)}`
      : null,
    csvHref: `/api/v1/invoices.csv${filter ? `?${filter}` : ""}`,
    pageTotals: [...sums].map(([currency, total]) => ({ currency, total })),
    hasCustomers: page.data.length > 0 || customerChoices(ctx, 1).length > 0,
  };
}

export type FormState = { values: InvoiceFormValues; errors: FormErrors; message: string | null };

/** What the form needs besides the values: customers, settings and the currency amounts are typed in. */
export function formContext(ctx: ServiceContext, values: InvoiceFormValues) {
  const settings = readInvoiceSettings(ctx.db, ctx.orgId);
  const customers = customerChoices(ctx);
  const customer = customers.find((choice) => choice.id === values.customerId);
  const currency = formCurrency(values, customer?.currency ?? settings.defaultCurrency);
  return { settings, customers, currency };
}

/** The invoice form, new or editing, with the totals of what is typed. */
export function invoiceFormProps(
  c: Context<AppEnv>,
  state: FormState,
  editing: { id: string; number: string } | null,
): InvoiceFormPageProps {
  const { settings, customers, currency } = formContext(serviceContext(c), state.values);
  return {
    editing,
    values: state.values,
    errors: state.errors,
    message: state.message,
    customers,
    currencies,
    currency,
    totals: previewTotals(state.values, currency, settings.defaultTaxRate),
    paymentTermDays: settings.paymentTermDays,
    csrf: formCsrf(c),
  };
}

/** The customer form, new (customerId null) or editing. */
export function customerFormProps(
  c: Context<AppEnv>,
  customerId: string | null,
  values: CustomerFormValues,
  errors: Record<string, string> = {},
  message: string | null = null,
): CustomerFormProps {
  return { customerId, values, errors, message, currencies, csrf: formCsrf(c) };
}

/** The settings as the form shows them. */
export function settingsFormValues(settings: InvoiceSettings): InvoiceSettingsValues {
  return {
    prefix: settings.prefix,
    paymentTermDays: String(settings.paymentTermDays),
    defaultCurrency: settings.defaultCurrency,
    defaultTaxRate: basisPointsToPercent(settings.defaultTaxRate),
    etag: invoiceSettingsEtag(settings),
  };
}

/** The numbering and defaults page: the stored settings, or what was typed and why it was refused. */
export function invoiceSettingsProps(
  c: Context<AppEnv>,
  state: { values?: InvoiceSettingsValues; errors?: Record<string, string>; notice?: string; message?: string },
): InvoiceSettingsProps {
  const ctx = serviceContext(c);
  const settings = readInvoiceSettings(ctx.db, ctx.orgId);
  return {
    values: state.values ?? settingsFormValues(settings),
    errors: state.errors ?? {},
    notice: state.notice ?? null,
    message: state.message ?? null,
    nextInvoiceNumber: formatInvoiceNumber(settings.prefix, settings.nextNumber),
    currencies,
    csrf: formCsrf(c),
  };
}

/** The customer list: a page of customers found by `q`. */
export function customerListProps(page: ReturnType<typeof listCustomers>, q: string): CustomerListProps {
  const more = page.nextCursor
    ? `/customers?${q ? `q=${encodeURIComponent(q)}&` : ""}cursor=${encodeURIComponent(page.nextCursor)}`
    : null;
  return { customers: page.data.map(customerJson), q, moreHref: more };
}

/** A customer as its form shows it, with the version it was read at. */
export function customerFormValues(customer: Parameters<typeof customerEtag>[0]): CustomerFormValues {
  const json = customerJson(customer);
  return { ...json, email: json.email ?? "", etag: customerEtag(customer) };
}
