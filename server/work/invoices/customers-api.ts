import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import {
  createCustomer,
  customerEtag,
  customerJson,
  customerOrNotFound,
  deleteCustomer,
  listCustomers,
  updateCustomer,
} from "./customers.ts";
import { customerJsonSchema, customerPageSchema } from "./json-schemas.ts";
import { customerInput, customerListQuery, updateCustomerInput } from "./schemas.ts";

const tags = ["Customers"];
const guard = () => requirePermission("invoices.manage");

/** /customers: who invoices go to. */
export const customersApi = new Hono<AppEnv>()
  .get(
    "/",
    guard(),
    apiDoc({
      summary: "List customers (newest first)",
      tags,
      responses: { 200: { description: "A page", schema: customerPageSchema } },
    }),
    validate("query", customerListQuery),
    (c) => {
      const page = listCustomers(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(customerJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    guard(),
    apiDoc({
      summary: "Create a customer",
      tags,
      responses: { 201: { description: "Created", schema: customerJsonSchema } },
    }),
    validate("json", customerInput),
    (c) => {
      const customer = createCustomer(serviceContext(c), c.req.valid("json"));
      c.header("ETag", customerEtag(customer));
      c.header("Location", `/api/v1/customers/${customer.id}`);
      return c.json(customerJson(customer), 201);
    },
  )
  .get(
    "/:id",
    guard(),
    apiDoc({
      summary: "Read a customer",
      tags,
      responses: { 200: { description: "The customer", schema: customerJsonSchema } },
    }),
    (c) => {
      const customer = customerOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, customerEtag(customer), customerJson(customer));
    },
  )
  .patch(
    "/:id",
    guard(),
    apiDoc({
      summary: "Change a customer (If-Match → 412 when stale)",
      tags,
      responses: { 200: { description: "The customer", schema: customerJsonSchema } },
    }),
    validate("json", updateCustomerInput),
    (c) => {
      const customer = updateCustomer(
        serviceContext(c),
        c.req.param("id"),
        c.req.valid("json"),
        c.req.header("If-Match"),
      );
      c.header("ETag", customerEtag(customer));
      return c.json(customerJson(customer));
    },
  )
  .delete(
    "/:id",
    guard(),
    apiDoc({
      summary: "Delete a customer without invoices (409 when it has some)",
      tags,
      responses: { 204: { description: "Deleted" } },
    }),
    (c) => {
      deleteCustomer(serviceContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  );
