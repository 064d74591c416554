/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InvoiceDetailPage } from "../../../views/pages/work/invoices/invoice-detail.tsx";
import { InvoiceListPage } from "../../../views/pages/work/invoices/invoice-list.tsx";
import { InvoicePrintDocument } from "../../../views/pages/work/invoices/invoice-print.tsx";
import type { BillTimeValues } from "../../../views/partials/work/invoices/bill-time-form.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { decimalToMinor, percentToBasisPoints } from "../../tools/money.ts";
import { invoiceDetailProps, invoiceListProps, type PageState } from "./console-props.ts";
import { invoiceDocument } from "./documents.ts";
import { addLinesFromTime } from "./from-time.ts";
import { deleteInvoice } from "./invoice-writes.ts";
import { invoiceJson, invoiceOrNotFound, listInvoices } from "./invoices.ts";
import { type InvoiceListQuery, invoiceListQuery, linesFromTimeInput } from "./schemas.ts";
import { markInvoicePaid, sendInvoice, submitInvoice, voidInvoice } from "./transitions.ts";

const guard = () => requirePermission("invoices.manage");

function renderDetail(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  id: string,
  state: PageState = {},
  status: ContentfulStatusCode = 200,
) {
  const view = invoiceOrNotFound(ctx, id);
  return renderPage(
    c,
    { title: `Invoice ${view.invoice.number}`, current: "/invoices" },
    <InvoiceDetailPage {...invoiceDetailProps(c, ctx, view, state)} />,
    status,
  );
}

/** Runs a status action; the page comes back with a notice, or with the refusal (409/422) explained. */
async function act(c: Context<AppEnv>, run: (ctx: ServiceContext, id: string) => unknown, notice: string) {
  const ctx = serviceContext(c);
  const id = c.req.param("id") ?? "";
  try {
    await run(ctx, id);
  } catch (error) {
    if (!(error instanceof AppError) || !["conflict", "validation_failed"].includes(error.code)) throw error;
    const message = error.details[0]?.path === "status" ? error.message : (error.details[0]?.message ?? error.message);
    return renderDetail(c, ctx, id, { error: message }, error.status as ContentfulStatusCode);
  }
  if (!isHtmxRequest(c)) return c.redirect(`/invoices/${id}`, 303);
  return renderDetail(c, ctx, id, { notice });
}

type PostedBillTime = { values: BillTimeValues; currency: string };

/** The hourly rate and tax rate as typed, read in the invoice's currency; what they cannot be is told by field. */
function billTimeInputOf({ values, currency }: PostedBillTime) {
  const errors: Record<string, string> = {};
  const unitPrice = decimalToMinor(values.unitPrice, currency);
  if (unitPrice === null) errors.unitPrice = `Enter an hourly rate in ${currency}, like 90.00.`;
  const taxRate = values.taxRate.trim() === "" ? undefined : percentToBasisPoints(values.taxRate);
  if (taxRate === null) errors.taxRate = "Enter a percentage like 20 or 7.5.";
  return { input: { ...values, unitPrice: unitPrice ?? 0, taxRate: taxRate ?? undefined }, errors };
}

/** Billing time on a draft: refused, the detail page shows the form again with the typed values. */
const billTimeForm: FormSpec<PostedBillTime> = {
  values: (form, c) => ({
    values: {
      projectId: form.text("projectId"),
      from: form.text("from"),
      to: form.text("to"),
      unitPrice: form.text("unitPrice"),
      taxRate: form.text("taxRate"),
    },
    currency: invoiceOrNotFound(serviceContext(c), c.req.param("id") ?? "").invoice.currency,
  }),
  input: (posted) => billTimeInputOf(posted).input,
  check: (posted) => billTimeInputOf(posted).errors,
  fields: (details) => {
    const errors: Record<string, string> = {};
    for (const detail of details) errors[detail.path.split(".")[0] || "projectId"] ??= detail.message;
    return errors;
  },
  invalid: (c, { values }, refusal) =>
    renderDetail(
      c,
      serviceContext(c),
      c.req.param("id") ?? "",
      { billTime: { values, errors: refusal.errors }, error: "The time could not be billed: see below." },
      422,
    ),
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
    const errors: Record<string, string> = {};
    for (const detail of error.details) errors[detail.path || "projectId"] ??= detail.message;
    return { errors, status: 422 };
  },
};

/** /invoices (list), /invoices/:id (page, actions, billing time) and /invoices/:id/print. */
export const invoicesConsolePages = new Hono<AppEnv>()
  .get("/", guard(), (c) => {
    const ctx = serviceContext(c);
    const parsed = invoiceListQuery.safeParse({
      status: c.req.query("status") || undefined,
      cursor: c.req.query("cursor"),
    });
    const query: InvoiceListQuery = parsed.success ? parsed.data : { limit: 50, status: undefined };
    const status = query.status?.length === 1 ? (query.status[0] ?? "") : "";
    const read = () => invoiceListProps(ctx, listInvoices(ctx, query), status);
    // The first page of a filter is the same for every reader of the organisation: kept until the next write.
    const props =
      query.cursor === undefined
        ? readUntilWrite(
            ctx.db,
            `invoices.consolePage:${ctx.orgId}:${query.status?.join(",") ?? ""}:${query.limit}`,
            read,
          )
        : read();
    return renderPage(c, { title: "Invoices", current: "/invoices" }, <InvoiceListPage {...props} />);
  })
  .get("/:id", guard(), (c) => renderDetail(c, serviceContext(c), c.req.param("id")))
  .get("/:id/print", guard(), (c) => {
    const document = invoiceDocument(serviceContext(c), c.req.param("id"));
    return c.html(
      html`<!doctype html>${(
        <InvoicePrintDocument
          invoice={invoiceJson(document.view)}
          customer={document.customer}
          organizationName={document.organizationName}
        />
      )}`,
    );
  })
  .post("/:id/submit", guard(), (c) => act(c, submitInvoice, "Submitted for approval."))
  .post("/:id/send", guard(), (c) =>
    act(
      c,
      (ctx, id) => sendInvoice(ctx, id, c.var.deps.config.dataDir),
      "Sent. The e-mail to the customer, with the PDF attached, is in the outbox.",
    ),
  )
  .post("/:id/mark-paid", guard(), (c) => act(c, markInvoicePaid, "Marked paid."))
  .post("/:id/void", guard(), (c) => act(c, voidInvoice, "Voided."))
  .post("/:id/delete", guard(), (c) => {
    const ctx = serviceContext(c);
    const id = c.req.param("id");
    try {
      deleteInvoice(ctx, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      return renderDetail(c, ctx, id, { error: error.message }, 409);
    }
    return redirectTo(c, "/invoices");
  })
  .post("/:id/lines-from-time", guard(), validateForm(linesFromTimeInput, billTimeForm), (c) => {
    const ctx = serviceContext(c);
    const id = c.req.param("id");
    const view = invoiceOrNotFound(ctx, id);
    const { input, refused } = c.req.valid("form");
    try {
      const before = view.lines.length;
      const after = addLinesFromTime(ctx, id, input).lines.length;
      return renderDetail(c, ctx, id, {
        notice: `Added ${after - before} line${after - before === 1 ? "" : "s"} from time.`,
      });
    } catch (error) {
      return refused(error);
    }
  });
