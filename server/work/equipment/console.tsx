/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /equipment pages. (Being built.) */
export const equipmentConsole = new Hono<AppEnv>();
