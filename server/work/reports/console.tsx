/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /reports pages. (Being built.) */
export const reportsConsole = new Hono<AppEnv>();
