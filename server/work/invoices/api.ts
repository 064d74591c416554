import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /customers, /invoices. (Being built.) */
export const invoicesApi = new Hono<AppEnv>();
