import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { invoicePdf } from "./documents.ts";
import { addLinesFromTime } from "./from-time.ts";
import { respondInvoice } from "./invoices-api.ts";
import { invoiceJsonSchema } from "./json-schemas.ts";
import { linesFromTimeInput } from "./schemas.ts";
import { markInvoicePaid, sendInvoice, submitInvoice, voidInvoice } from "./transitions.ts";

const tags = ["Invoices"];
const guard = () => requirePermission("invoices.manage");
const one = { 200: { description: "The invoice", schema: invoiceJsonSchema } };

/** The status machine's actions, billing from time and the PDF. 409 names the current status when an action does not apply. */
export const invoiceActionsApi = new Hono<AppEnv>()
  .post(
    "/:id/submit",
    guard(),
    apiDoc({ summary: "Submit a draft for approval (starts an approval request)", tags, responses: one }),
    (c) => respondInvoice(c, submitInvoice(serviceContext(c), c.req.param("id"))),
  )
  .post(
    "/:id/send",
    guard(),
    apiDoc({
      summary: "E-mail an approved invoice to the customer, with its PDF, through the outbox",
      tags,
      responses: one,
    }),
    async (c) => respondInvoice(c, await sendInvoice(serviceContext(c), c.req.param("id"), c.var.deps.config.dataDir)),
  )
  .post(
    "/:id/mark-paid",
    guard(),
    apiDoc({ summary: "Mark a sent or overdue invoice paid", tags, responses: one }),
    (c) => respondInvoice(c, markInvoicePaid(serviceContext(c), c.req.param("id"))),
  )
  .post(
    "/:id/void",
    guard(),
    apiDoc({ summary: "Void an invoice (any status but paid and void)", tags, responses: one }),
    (c) => respondInvoice(c, voidInvoice(serviceContext(c), c.req.param("id"))),
  )
  .post(
    "/:id/lines-from-time",
    guard(),
    apiDoc({ summary: "Bill a project's billable, unbilled time as lines of a draft", tags, responses: one }),
    validate("json", linesFromTimeInput),
    (c) => respondInvoice(c, addLinesFromTime(serviceContext(c), c.req.param("id"), c.req.valid("json"))),
  )
  .get(
    "/:id/pdf",
    guard(),
    apiDoc({
      summary: "The invoice as a PDF",
      tags,
      responses: { 200: { description: "PDF", contentType: "application/pdf" } },
    }),
    async (c) => {
      const { bytes, fileName } = await invoicePdf(serviceContext(c), c.req.param("id"));
      const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return c.body(body, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      });
    },
  );
