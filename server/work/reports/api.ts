import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /reports/*. (Being built.) */
export const reportsApi = new Hono<AppEnv>();
