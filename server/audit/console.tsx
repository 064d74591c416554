import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** Settings → Audit log page with filters and CSV export. */
export const auditConsole = new Hono<AppEnv>();
