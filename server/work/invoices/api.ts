import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { customersApi } from "./customers-api.ts";
import { invoiceActionsApi } from "./invoice-actions-api.ts";
import { invoiceCrudApi } from "./invoices-api.ts";

/** /customers, /invoices, /invoice-settings: everything needs `invoices.manage`. */
export const invoicesApi = new Hono<AppEnv>()
  .route("/", customersApi)
  .route("/", invoiceCrudApi)
  .route("/", invoiceActionsApi);
