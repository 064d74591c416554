/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BillDetailPage } from "../../../views/pages/work/bills/bill-detail.tsx";
import { BillFormPage } from "../../../views/pages/work/bills/bill-form.tsx";
import { BillListPage } from "../../../views/pages/work/bills/bill-list.tsx";
import type { ActorContext, ServiceContext } from "../../auth/sessions/context.ts";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, refusalFrom, validateForm } from "../../http/validate-form.ts";
import { todayUtc } from "../../tools/days.ts";
import { invoiceFieldErrors } from "../invoices/invoice-form.ts";
import { type BillFormValues, billFormValues, billInputOf, readBillForm } from "./bill-form.ts";
import { assertDraftBill, createBill, updateBill } from "./bill-writes.ts";
import { billEtag, billOrNotFound, listBills } from "./bills.ts";
import { type BillPageState, billDetailProps, billFormProps, billListProps } from "./console-props.ts";
import { billTitle } from "./events.ts";
import { type BillListQuery, billInput, billListQuery, updateBillInput } from "./schemas.ts";
import { markBillPaid, submitBill } from "./transitions.ts";

const guard = () => requirePermission("bills.manage");

function renderDetail(c: Context<AppEnv>, id: string, state: BillPageState = {}, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const view = billOrNotFound(ctx, id);
  return renderPage(
    c,
    { title: billTitle(view.bill), current: "/bills" },
    <BillDetailPage {...billDetailProps(c, ctx, view, state)} />,
    status,
  );
}

function editingOf(c: Context<AppEnv>) {
  const view = billOrNotFound(serviceContext(c), c.req.param("id") ?? "");
  return { id: view.bill.id, title: billTitle(view.bill) };
}

/** The bill form; refused, it comes back with what was typed and the errors by field (422, or 409/412 above it). */
function billForm(editing: boolean): FormSpec<BillFormValues> {
  return {
    values: (form) => readBillForm(form),
    input: (values) => billInputOf(values).body,
    check: (values) => billInputOf(values).errors,
    fields: invoiceFieldErrors,
    invalid: (c, values, refusal) =>
      renderPage(
        c,
        { title: editing ? "Edit bill" : "New bill", current: "/bills" },
        <BillFormPage
          {...billFormProps(
            c,
            { values, errors: refusal.errors, message: refusal.message ?? refusal.errors.form ?? null },
            editing ? editingOf(c) : null,
          )}
        />,
        refusal.status,
      ),
    refusal: (error) => {
      const refusal = refusalFrom(error);
      if (error instanceof AppError && error.code === "validation_failed") {
        return { ...refusal, errors: invoiceFieldErrors(error.details) };
      }
      return refusal;
    },
  };
}

/** A status action; the page comes back with a notice, or with the refusal (409/422) explained. */
function act(c: Context<AppEnv>, run: (ctx: ActorContext, id: string) => unknown, notice: string) {
  const id = c.req.param("id") ?? "";
  try {
    run(serviceContext(c), id);
  } catch (error) {
    if (!(error instanceof AppError) || !["conflict", "validation_failed"].includes(error.code)) throw error;
    const message = error.details[0]?.path === "status" ? error.message : (error.details[0]?.message ?? error.message);
    return renderDetail(c, id, { error: message }, error.status as ContentfulStatusCode);
  }
  if (!isHtmxRequest(c)) return c.redirect(`/bills/${id}`, 303);
  return renderDetail(c, id, { notice });
}

const emptyValues = (): BillFormValues => ({
  supplierName: "",
  number: "",
  issueDate: todayUtc(new Date()),
  dueDate: "",
  currency: "",
  notes: "",
  lines: [],
  etag: "",
});

/** /bills: list, new, detail, edit, send for approval, mark paid. */
export const billsConsole = new Hono<AppEnv>()
  .get("/", guard(), (c) => {
    const ctx: ServiceContext = serviceContext(c);
    const parsed = billListQuery.safeParse({
      status: c.req.query("status") || undefined,
      cursor: c.req.query("cursor"),
    });
    const query: BillListQuery = parsed.success ? parsed.data : { limit: 50 };
    const props = billListProps(ctx, listBills(ctx, query), query.status ?? "");
    return renderPage(c, { title: "Bills", current: "/bills" }, <BillListPage {...props} />);
  })
  .get("/new", guard(), (c) =>
    renderPage(
      c,
      { title: "New bill", current: "/bills" },
      <BillFormPage {...billFormProps(c, { values: emptyValues(), errors: {}, message: null }, null)} />,
    ),
  )
  .post("/", guard(), validateForm(billInput, billForm(false)), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      return redirectTo(c, `/bills/${createBill(serviceContext(c), input).bill.id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id", guard(), (c) => renderDetail(c, c.req.param("id")))
  .get("/:id/edit", guard(), (c) => {
    const view = billOrNotFound(serviceContext(c), c.req.param("id"));
    assertDraftBill(view.bill, "edited");
    const state = { values: billFormValues(view, billEtag(view)), errors: {}, message: null };
    return renderPage(
      c,
      { title: `Edit ${billTitle(view.bill)}`, current: "/bills" },
      <BillFormPage {...billFormProps(c, state, { id: view.bill.id, title: billTitle(view.bill) })} />,
    );
  })
  .post("/:id/edit", guard(), validateForm(updateBillInput, billForm(true)), (c) => {
    const id = billOrNotFound(serviceContext(c), c.req.param("id")).bill.id;
    const { input, values, refused } = c.req.valid("form");
    try {
      updateBill(serviceContext(c), id, input, values.etag || undefined);
      return redirectTo(c, `/bills/${id}`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/submit", guard(), (c) => act(c, submitBill, "Sent for approval."))
  .post("/:id/mark-paid", guard(), (c) => act(c, markBillPaid, "Marked paid."));
