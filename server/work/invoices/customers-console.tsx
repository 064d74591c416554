/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  CustomerFormPage,
  type CustomerFormValues,
  CustomerListPage,
} from "../../../views/pages/work/invoices/customers.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, type PostedForm, validateForm } from "../../http/validate-form.ts";
import { customerFormProps, customerFormValues, customerListProps } from "./console-props.ts";
import { createCustomer, customerOrNotFound, deleteCustomer, listCustomers, updateCustomer } from "./customers.ts";
import { customerInput, customerListQuery } from "./schemas.ts";
import { readInvoiceSettings } from "./settings.ts";

const guard = () => requirePermission("invoices.manage");

function valuesOf(form: PostedForm): CustomerFormValues {
  const text = form.text;
  return {
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    address: text("address"),
    taxId: text("taxId"),
    currency: text("currency").trim().toUpperCase(),
    notes: text("notes"),
    etag: text("etag"),
  };
}

function renderForm(
  c: Context<AppEnv>,
  customerId: string | null,
  values: CustomerFormValues,
  errors: Record<string, string> = {},
  message: string | null = null,
  status: ContentfulStatusCode = 200,
) {
  return renderPage(
    c,
    { title: customerId ? "Edit customer" : "New customer", current: "/invoices" },
    <CustomerFormPage {...customerFormProps(c, customerId, values, errors, message)} />,
    status,
  );
}

/** The form's values as the API's input (every field sent: an emptied field is cleared). */
function inputOf(values: CustomerFormValues) {
  const { etag: _etag, ...fields } = values;
  return fields;
}

const newCustomerForm: FormSpec<CustomerFormValues> = {
  values: valuesOf,
  input: inputOf,
  invalid: (c, values, refusal) => renderForm(c, null, values, refusal.errors, null, refusal.status),
};

const editCustomerForm: FormSpec<CustomerFormValues> = {
  values: valuesOf,
  input: inputOf,
  invalid: (c, values, refusal) =>
    renderForm(
      c,
      customerOrNotFound(serviceContext(c), c.req.param("id") ?? "").id,
      values,
      refusal.errors,
      refusal.message ?? null,
      refusal.status,
    ),
  // A stale edit is told above the form; other refusals go to the error page.
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code !== "precondition_failed") throw error;
    const message = "Someone changed this customer since you opened it. Open it again to see their changes.";
    return { errors: {}, message, status: 412 };
  },
};

/** /customers: list, new, edit, delete. */
export const customersConsole = new Hono<AppEnv>()
  .get("/", guard(), (c) => {
    const q = c.req.query("q")?.trim() ?? "";
    const parsed = customerListQuery.safeParse({ q: q || undefined, cursor: c.req.query("cursor") });
    const page = listCustomers(serviceContext(c), parsed.success ? parsed.data : { limit: 50 });
    return renderPage(
      c,
      { title: "Customers", current: "/invoices" },
      <CustomerListPage {...customerListProps(page, q)} />,
    );
  })
  .get("/new", guard(), (c) => {
    const ctx = serviceContext(c);
    const currency = readInvoiceSettings(ctx.db, ctx.orgId).defaultCurrency;
    return renderForm(c, null, {
      name: "",
      email: "",
      phone: "",
      address: "",
      taxId: "",
      currency,
      notes: "",
      etag: "",
    });
  })
  .post("/", guard(), validateForm(customerInput, newCustomerForm), (c) => {
    createCustomer(serviceContext(c), c.req.valid("form").input);
    return redirectTo(c, "/customers");
  })
  .get("/:id/edit", guard(), (c) => {
    const customer = customerOrNotFound(serviceContext(c), c.req.param("id"));
    return renderForm(c, customer.id, customerFormValues(customer));
  })
  .post("/:id/edit", guard(), validateForm(customerInput, editCustomerForm), (c) => {
    const ctx = serviceContext(c);
    const customer = customerOrNotFound(ctx, c.req.param("id"));
    const { input, values, refused } = c.req.valid("form");
    try {
      updateCustomer(ctx, customer.id, input, values.etag || undefined);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/customers");
  })
  .post("/:id/delete", guard(), (c) => {
    const ctx = serviceContext(c);
    const customer = customerOrNotFound(ctx, c.req.param("id"));
    try {
      deleteCustomer(ctx, customer.id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      return renderForm(c, customer.id, customerFormValues(customer), {}, error.message, 409);
    }
    return redirectTo(c, "/customers");
  });
