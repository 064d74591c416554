/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /invoices, /customers pages. (Being built.) */
export const invoicesConsole = new Hono<AppEnv>();
