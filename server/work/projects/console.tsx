/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /projects pages. (Being built.) */
export const projectsConsole = new Hono<AppEnv>();
