/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /teams pages. (Being built.) */
export const teamsConsole = new Hono<AppEnv>();
