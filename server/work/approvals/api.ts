import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /approval-pipelines, /approvals, decisions. (Being built.) */
export const approvalsApi = new Hono<AppEnv>();
