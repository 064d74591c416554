import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { etagOf, jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { createBill, updateBill } from "./bill-writes.ts";
import { type BillView, billJson, billOrNotFound, billSummaryJson, listBills } from "./bills.ts";
import { billInput, billJsonSchema, billListQuery, billPageSchema, updateBillInput } from "./schemas.ts";
import { markBillPaid, submitBill } from "./transitions.ts";

const tags = ["Bills"];
const guard = () => requirePermission("bills.manage");
const one = { 200: { description: "The bill", schema: billJsonSchema } };

function respondBill(c: Context<AppEnv>, view: BillView, status: ContentfulStatusCode = 200) {
  const body = billJson(view);
  c.header("ETag", etagOf(body));
  return c.json(body, status);
}

/** /bills: suppliers' bills (accounts payable), mounted at /api/v1/bills. */
export const billsApi = new Hono<AppEnv>()
  .get(
    "/",
    guard(),
    apiDoc({
      summary: "List bills (newest first; filter by status)",
      tags,
      responses: { 200: { description: "A page, without lines", schema: billPageSchema } },
    }),
    validate("query", billListQuery),
    (c) => {
      const page = listBills(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(billSummaryJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    guard(),
    apiDoc({
      summary: "Enter a draft bill",
      tags,
      responses: { 201: { description: "Created", schema: billJsonSchema } },
    }),
    validate("json", billInput),
    (c) => {
      const view = createBill(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/bills/${view.bill.id}`);
      return respondBill(c, view, 201);
    },
  )
  .get("/:id", guard(), apiDoc({ summary: "Read a bill with its lines", tags, responses: one }), (c) => {
    const body = billJson(billOrNotFound(serviceContext(c), c.req.param("id")));
    return jsonWithEtag(c, etagOf(body), body);
  })
  .patch(
    "/:id",
    guard(),
    apiDoc({
      summary: "Edit a draft bill (lines replaced wholesale; If-Match → 412 when stale)",
      tags,
      responses: one,
    }),
    validate("json", updateBillInput),
    (c) =>
      respondBill(c, updateBill(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"))),
  )
  .post(
    "/:id/submit",
    guard(),
    apiDoc({
      summary: "Send a draft bill for approval (the organisation's pipeline for bills; 409 without one)",
      tags,
      responses: one,
    }),
    (c) => respondBill(c, submitBill(serviceContext(c), c.req.param("id"))),
  )
  .post("/:id/mark-paid", guard(), apiDoc({ summary: "Mark an approved bill paid", tags, responses: one }), (c) =>
    respondBill(c, markBillPaid(serviceContext(c), c.req.param("id"))),
  );
