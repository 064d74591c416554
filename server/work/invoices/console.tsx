/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { customersConsole } from "./customers-console.tsx";
import { invoiceFormConsole } from "./invoice-form-console.tsx";
import { invoicesConsolePages } from "./invoices-console.tsx";
import { invoiceSettingsConsole } from "./settings-console.tsx";

/**
 * /invoices, /customers pages. The fixed paths (/invoices/new, /invoices/settings,
 * /invoices/editor/…) are mounted before /invoices/:id so they are never read as an id.
 */
export const invoicesConsole = new Hono<AppEnv>()
  .route("/", invoiceSettingsConsole)
  .route("/", invoiceFormConsole)
  .route("/", invoicesConsolePages)
  .route("/", customersConsole);
