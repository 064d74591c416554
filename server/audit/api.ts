import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** API of the audit log: /audit-events. */
export const auditApi = new Hono<AppEnv>();
