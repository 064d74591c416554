import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { etagMatches } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { todayUtc } from "../../tools/days.ts";
import { exportInvoicesCsv } from "./csv.ts";
import { createInvoice, deleteInvoice, updateInvoice } from "./invoice-writes.ts";
import {
  type InvoiceView,
  invoiceEtag,
  invoiceJson,
  invoiceOrNotFound,
  invoiceSummaryJson,
  listInvoices,
} from "./invoices.ts";
import { invoiceJsonSchema, invoicePageSchema, invoiceSettingsJsonSchema } from "./json-schemas.ts";
import { invoiceInput, invoiceListQuery, invoiceSettingsInput, updateInvoiceInput } from "./schemas.ts";
import { invoiceSettingsEtag, invoiceSettingsJson, readInvoiceSettings, updateInvoiceSettings } from "./settings.ts";

const tags = ["Invoices"];
const guard = () => requirePermission("invoices.manage");
const one = { 200: { description: "The invoice", schema: invoiceJsonSchema } };

/** Answers an invoice with its ETag. */
export function respondInvoice(c: Context<AppEnv>, view: InvoiceView, status: ContentfulStatusCode = 200) {
  c.header("ETag", invoiceEtag(view));
  return c.json(invoiceJson(view), status);
}

/** /invoices (list, CSV, create, read, edit, delete) and /invoice-settings. */
export const invoiceCrudApi = new Hono<AppEnv>()
  .get(
    "/invoices",
    guard(),
    apiDoc({
      summary: "List invoices (newest first; filter by status, customerId, issuedFrom, issuedTo)",
      tags,
      responses: { 200: { description: "A page, without lines", schema: invoicePageSchema } },
    }),
    validate("query", invoiceListQuery),
    (c) => {
      const page = listInvoices(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(invoiceSummaryJson), nextCursor: page.nextCursor });
    },
  )
  .get(
    "/invoices.csv",
    guard(),
    apiDoc({
      summary: "Export invoices as CSV (the list's filters)",
      tags,
      responses: { 200: { description: "CSV", contentType: "text/csv" } },
    }),
    validate("query", invoiceListQuery),
    (c) => {
      const { limit: _limit, cursor: _cursor, ...filters } = c.req.valid("query");
      const day = todayUtc();
      return c.body(exportInvoicesCsv(serviceContext(c), filters), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="invoices-${day}.csv"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .post(
    "/invoices",
    guard(),
    apiDoc({
      summary: "Create a draft invoice (numbered at once)",
      tags,
      responses: { 201: { description: "Created", schema: invoiceJsonSchema } },
    }),
    validate("json", invoiceInput),
    (c) => {
      const view = createInvoice(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/invoices/${view.invoice.id}`);
      return respondInvoice(c, view, 201);
    },
  )
  .get("/invoices/:id", guard(), apiDoc({ summary: "Read an invoice with its lines", tags, responses: one }), (c) => {
    const view = invoiceOrNotFound(serviceContext(c), c.req.param("id"));
    const etag = invoiceEtag(view);
    if (etagMatches(c.req.header("If-None-Match"), etag)) {
      c.header("ETag", etag);
      return c.body(null, 304);
    }
    return respondInvoice(c, view);
  })
  .patch(
    "/invoices/:id",
    guard(),
    apiDoc({ summary: "Edit a draft (lines replaced wholesale; If-Match → 412 when stale)", tags, responses: one }),
    validate("json", updateInvoiceInput),
    (c) =>
      respondInvoice(
        c,
        updateInvoice(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match")),
      ),
  )
  .delete(
    "/invoices/:id",
    guard(),
    apiDoc({ summary: "Delete a draft (409 otherwise)", tags, responses: { 204: { description: "Deleted" } } }),
    (c) => {
      deleteInvoice(serviceContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .get(
    "/invoice-settings",
    guard(),
    apiDoc({
      summary: "Read invoice numbering and defaults",
      tags,
      responses: { 200: { description: "The settings", schema: invoiceSettingsJsonSchema } },
    }),
    (c) => {
      const ctx = serviceContext(c);
      const settings = readInvoiceSettings(ctx.db, ctx.orgId);
      c.header("ETag", invoiceSettingsEtag(settings));
      return c.json(invoiceSettingsJson(settings));
    },
  )
  .put(
    "/invoice-settings",
    guard(),
    apiDoc({
      summary: "Change prefix, payment term, default currency and tax rate (If-Match → 412 when stale)",
      tags,
      responses: { 200: { description: "The settings", schema: invoiceSettingsJsonSchema } },
    }),
    validate("json", invoiceSettingsInput),
    (c) => {
      const settings = updateInvoiceSettings(serviceContext(c), c.req.valid("json"), c.req.header("If-Match"));
      c.header("ETag", invoiceSettingsEtag(settings));
      return c.json(invoiceSettingsJson(settings));
    },
  );
