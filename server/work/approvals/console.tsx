/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /approvals pages. (Being built.) */
export const approvalsConsole = new Hono<AppEnv>();
