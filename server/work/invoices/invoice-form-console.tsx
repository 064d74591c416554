/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InvoiceFormPage } from "../../../views/pages/work/invoices/invoice-form.tsx";
import { LineAmount, LineEditor, TotalsBox } from "../../../views/partials/work/invoices/line-editor.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormRefusal, type FormSpec, readPostedForm, validateForm } from "../../http/validate-form.ts";
import { todayUtc } from "../../tools/days.ts";
import { type FormState, formContext, invoiceFormProps } from "./console-props.ts";
import {
  emptyLine,
  type InvoiceFormValues,
  invoiceFieldErrors,
  invoiceFormValues,
  invoiceInputOf,
  previewTotals,
  readInvoiceForm,
} from "./invoice-form.ts";
import { assertDraft, createInvoice, updateInvoice } from "./invoice-writes.ts";
import { invoiceEtag, invoiceOrNotFound } from "./invoices.ts";
import { invoiceInput, updateInvoiceInput } from "./schemas.ts";
import { readInvoiceSettings } from "./settings.ts";

const guard = () => requirePermission("invoices.manage");

function render(
  c: Context<AppEnv>,
  state: FormState,
  editing: { id: string; number: string } | null,
  status: ContentfulStatusCode = 200,
) {
  return renderPage(
    c,
    { title: editing ? `Edit ${editing.number}` : "New invoice", current: "/invoices" },
    <InvoiceFormPage {...invoiceFormProps(c, state, editing)} />,
    status,
  );
}

/** An AppError about fields becomes form errors (422); anything else is re-thrown. */
function fieldRefusal(error: unknown): FormRefusal {
  if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
  return {
    errors: Object.fromEntries(error.details.map((detail) => [detail.path || "form", detail.message])),
    status: 422,
  };
}

/** An edit may also be stale (412) or conflict with the invoice's state (409): told above the form. */
function editRefusal(error: unknown): FormRefusal {
  if (error instanceof AppError && (error.code === "precondition_failed" || error.code === "conflict")) {
    const message =
      error.code === "precondition_failed"
        ? "Someone changed this invoice since you opened it. Open it again to see their changes; your values are still below."
        : error.message;
    return { errors: {}, message, status: error.status as ContentfulStatusCode };
  }
  return fieldRefusal(error);
}

function editingOf(c: Context<AppEnv>) {
  const view = invoiceOrNotFound(serviceContext(c), c.req.param("id") ?? "");
  return { id: view.invoice.id, number: view.invoice.number };
}

type PostedInvoice = { values: InvoiceFormValues; currency: string };

/** The invoice form (rows left blank dropped), in the currency its amounts are typed in. */
function invoiceForm(editing: boolean): FormSpec<PostedInvoice> {
  return {
    values: (form, c) => {
      const values = readInvoiceForm(form);
      return { values, currency: formContext(serviceContext(c), values).currency };
    },
    input: ({ values, currency }) => invoiceInputOf(values, currency).body,
    check: ({ values, currency }) => invoiceInputOf(values, currency).errors,
    fields: invoiceFieldErrors,
    invalid: (c, { values }, refusal) =>
      render(
        c,
        { values, errors: refusal.errors, message: refusal.message ?? null },
        editing ? editingOf(c) : null,
        refusal.status,
      ),
    refusal: editing ? editRefusal : fieldRefusal,
  };
}

/** Re-renders the line editor after a row was added or removed, keeping every typed value. */
async function editorWith(c: Context<AppEnv>, change: (values: InvoiceFormValues, defaultTaxRate: number) => void) {
  const values = readInvoiceForm(await readPostedForm(c), { keepBlank: true });
  const ctx = serviceContext(c);
  const { settings, currency } = formContext(ctx, values);
  change(values, settings.defaultTaxRate);
  const totals = previewTotals(values, currency, settings.defaultTaxRate);
  return c.html(
    html`${<LineEditor lines={values.lines} errors={{}} currency={currency} totals={totals} />}${<TotalsBox currency={currency} totals={totals} oob />}`,
  );
}

/** /invoices/new, /invoices/:id/edit and the line editor's fragments. */
export const invoiceFormConsole = new Hono<AppEnv>()
  .get("/new", guard(), (c) => {
    const ctx = serviceContext(c);
    const settings = readInvoiceSettings(ctx.db, ctx.orgId);
    const values: InvoiceFormValues = {
      customerId: c.req.query("customerId") ?? "",
      currency: "",
      issueDate: todayUtc(new Date()),
      dueDate: "",
      notes: "",
      lines: [emptyLine(settings.defaultTaxRate)],
      etag: "",
    };
    return render(c, { values, errors: {}, message: null }, null);
  })
  .post("/", guard(), validateForm(invoiceInput, invoiceForm(false)), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const view = createInvoice(serviceContext(c), input);
      return redirectTo(c, `/invoices/${view.invoice.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/editor/add", guard(), (c) =>
    editorWith(c, (values, defaultTaxRate) => {
      values.lines.push(emptyLine(defaultTaxRate));
    }),
  )
  .post("/editor/remove/:index", guard(), (c) =>
    editorWith(c, (values) => {
      const index = Number(c.req.param("index"));
      if (Number.isInteger(index) && index >= 0) values.lines.splice(index, 1);
    }),
  )
  .post("/editor/totals", guard(), async (c) => {
    const values = readInvoiceForm(await readPostedForm(c), { keepBlank: true });
    const { settings, currency } = formContext(serviceContext(c), values);
    const totals = previewTotals(values, currency, settings.defaultTaxRate);
    return c.html(
      html`${<TotalsBox currency={currency} totals={totals} />}${values.lines.map((_, index) => <LineAmount index={index} amount={totals?.lines[index]?.amount ?? null} currency={currency} oob />)}`,
    );
  })
  .get("/:id/edit", guard(), (c) => {
    const view = invoiceOrNotFound(serviceContext(c), c.req.param("id"));
    assertDraft(view.invoice, "edited");
    const editing = { id: view.invoice.id, number: view.invoice.number };
    return render(c, { values: invoiceFormValues(view, invoiceEtag(view)), errors: {}, message: null }, editing);
  })
  .post("/:id/edit", guard(), validateForm(updateInvoiceInput, invoiceForm(true)), (c) => {
    const view = invoiceOrNotFound(serviceContext(c), c.req.param("id"));
    const { input, values, refused } = c.req.valid("form");
    try {
      updateInvoice(serviceContext(c), view.invoice.id, input, values.values.etag || undefined);
      return redirectTo(c, `/invoices/${view.invoice.id}`);
    } catch (error) {
      return refused(error);
    }
  });
