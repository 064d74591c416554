/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /search page. (Being built.) */
export const searchConsole = new Hono<AppEnv>();
